/** A phase is "long" after this: only then are rate and ETA shown (they are noise before). */
const LONG_PHASE_MS = 2000;

/** Counts of one phase, from its start; a new phase starts again from zero. */
export interface PhaseProgress {
  readonly phase: 'merge' | 'sync';
  readonly startedAt: number;
  readonly targets: number;
  readonly targetsDone: number;
  /** Targets whose secret count is known (merged, or planned in sync). */
  readonly targetsCounted: number;
  /** Secrets of the counted targets. */
  readonly secretsKnown: number;
  /** Secrets processed: merged, found unchanged, or written. */
  readonly secretsDone: number;
}

/** The counts at the start of a phase. */
export function startPhase(
  phase: 'merge' | 'sync',
  targets: number,
  startedAt: number,
): PhaseProgress {
  return {
    phase,
    startedAt,
    targets,
    targetsDone: 0,
    targetsCounted: 0,
    secretsKnown: 0,
    secretsDone: 0,
  };
}

/**
 * A target merged with `secrets` secrets (0 when it failed or was skipped). The merge phase counts
 * secrets as they are read from the sources (`secretsDone`), not here.
 */
export function targetMerged(progress: PhaseProgress, secrets: number): PhaseProgress {
  return {
    ...progress,
    targetsDone: progress.targetsDone + 1,
    targetsCounted: progress.targetsCounted + 1,
    secretsKnown: progress.secretsKnown + secrets,
  };
}

/** A target planned: its `secrets` are known, all but the `writes` are done already. */
export function targetPlanned(
  progress: PhaseProgress,
  secrets: number,
  writes: number,
): PhaseProgress {
  return {
    ...progress,
    targetsCounted: progress.targetsCounted + 1,
    secretsKnown: progress.secretsKnown + secrets,
    secretsDone: progress.secretsDone + secrets - writes,
  };
}

/** `count` more secrets done. */
export function secretsDone(progress: PhaseProgress, count: number): PhaseProgress {
  return { ...progress, secretsDone: progress.secretsDone + count };
}

/**
 * A target synced; `unsettled` is how many of its planned writes did not happen (they are done
 * with), or undefined when it finished without a plan (it is counted with no secrets).
 */
export function targetSynced(
  progress: PhaseProgress,
  unsettled: number | undefined,
): PhaseProgress {
  return {
    ...secretsDone(progress, unsettled ?? 0),
    targetsDone: progress.targetsDone + 1,
    targetsCounted: progress.targetsCounted + (unsettled === undefined ? 1 : 0),
  };
}

/**
 * The progress line: `sync: 12/34 secrets, 3/5 targets, 40/s, ETA 2s`. The secret total is the
 * sum over the targets counted so far, marked `+` while some are not counted yet. The merge phase
 * counts secrets as they are read from the sources, whose total it cannot know before reading
 * them: `merge: 120 secrets read, 2/5 targets`. Rate and ETA appear once the phase has run for
 * 2 s; in sync the ETA extrapolates the secrets of the targets not yet counted from those that
 * are, in merge it extrapolates the targets still to merge from those merged.
 */
export function describeProgress(progress: PhaseProgress, at: number): string {
  const { phase, targets, targetsDone, targetsCounted, secretsKnown, secretsDone } = progress;
  const secrets =
    phase === 'merge'
      ? `${secretsDone} secrets read`
      : `${secretsDone}/${secretsKnown}${targetsCounted < targets ? '+' : ''} secrets`;
  const parts = [`${phase}: ${secrets}, ${targetsDone}/${targets} targets`];
  const elapsedMs = at - progress.startedAt;
  if (elapsedMs > LONG_PHASE_MS && secretsDone > 0) {
    const rate = secretsDone / (elapsedMs / 1000);
    parts.push(`${formatRate(rate)}/s`);
    if (phase === 'merge' && targetsDone > 0) {
      const perTarget = elapsedMs / 1000 / targetsDone;
      parts.push(`ETA ${formatDuration(perTarget * (targets - targetsDone))}`);
    } else if (phase === 'sync' && targetsCounted > 0) {
      const estimated = (secretsKnown / targetsCounted) * targets;
      parts.push(`ETA ${formatDuration(Math.max(0, estimated - secretsDone) / rate)}`);
    }
  }
  return parts.join(', ');
}

function formatRate(perSecond: number): string {
  return perSecond >= 10 ? String(Math.round(perSecond)) : perSecond.toFixed(1);
}

/** `7s`, `2m05s`, `1h02m`: whole seconds, rounded up. */
export function formatDuration(seconds: number): string {
  const whole = Math.ceil(seconds);
  if (whole < 60) return `${whole}s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
