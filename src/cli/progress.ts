import type { PipelineEvents } from '../pipeline/phase-context.js';
import {
  describeProgress,
  secretsDone,
  startPhase,
  targetMerged,
  targetPlanned,
  targetSynced,
} from './progress-model.js';
import type { PhaseProgress } from './progress-model.js';
import type { TerminalLine } from './terminal-line.js';

/**
 * The progress line for people at a terminal, per secret within each phase: the counts start
 * again at every phase, move with every secret merged, found unchanged or written, and show rate
 * and ETA on long phases. It draws through the terminal line (which draws nothing when stderr is
 * not a terminal or with --no-progress) and is erased when the phase finishes.
 */
export function createProgress(line: TerminalLine, now: () => number): PipelineEvents {
  let progress: PhaseProgress = startPhase('merge', 0, now());
  // Sync: writes still expected per planned target, settled when the target finishes.
  const pending = new Map<string, number>();
  const show = (next: PhaseProgress, immediately = false) => {
    progress = next;
    line.status(describeProgress(progress, now()), { now: immediately });
  };
  return {
    phaseStarted: (phase, targets) => {
      pending.clear();
      show(startPhase(phase, targets, now()), true);
    },
    phaseFinished: () => {
      line.clear();
    },
    secretsRead: (count) => {
      show(secretsDone(progress, count));
    },
    mergeDone: (_, report) => {
      show(targetMerged(progress, report.status === 'ok' ? report.secrets : 0));
    },
    targetPlanned: (target, secrets, writes) => {
      pending.set(target, writes);
      show(targetPlanned(progress, secrets, writes));
    },
    secretApplied: (target) => {
      pending.set(target, (pending.get(target) ?? 1) - 1);
      show(secretsDone(progress, 1));
    },
    syncDone: (target) => {
      const unsettled = pending.get(target);
      pending.delete(target);
      show(targetSynced(progress, unsettled));
    },
  };
}
