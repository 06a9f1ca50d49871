import type { PipelineReport, TargetReport } from '../pipeline/report.js';

/**
 * Why a target failed, said once: its merge error, else its sync error (the first failed secret
 * when secrets failed). Undefined when it did not fail (a skipped target did not fail itself).
 */
export function causeOf(target: TargetReport): string | undefined {
  const { merge, sync } = target;
  if (merge?.status === 'failed') return `merge: ${merge.error.message}`;
  if (sync?.status !== 'failed') return undefined;
  const secret = sync.failures[0];
  if (sync.error.code === 'secrets_failed' && secret !== undefined)
    return `sync: ${sync.error.message}, first ${secret.name}: ${secret.reason}`;
  return `sync: ${sync.error.message}`;
}

/** The first failed target of the run and its cause, as `<target> <phase>: <message>`. */
export function firstFailure(report: PipelineReport): string | undefined {
  for (const target of report.targets) {
    const cause = causeOf(target);
    if (cause !== undefined) return `${target.name} ${cause}`;
  }
  return undefined;
}
