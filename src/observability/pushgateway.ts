import { Pushgateway } from 'prom-client';
import type { Registry } from 'prom-client';
import type { AppLogger } from './logger.js';

/** The Pushgateway job every SecretSync run pushes under. */
export const PUSH_JOB = 'secretsync';

/** How long the push may take; a hung Pushgateway must not hold a finished run (CronJob) open. */
export const PUSH_TIMEOUT_MS = 10_000;

/** What a scheduled run was asked to do: its grouping key on the Pushgateway. */
export interface PushedRun {
  /** `--targets` as given (before inherited targets are added); empty means every target. */
  readonly targets: readonly string[];
  /** `full`, `merge-only` or `sync-only`. */
  readonly mode: string;
  readonly dryRun: boolean;
}

/**
 * The grouping labels of a run: `targets` (the selected targets, sorted and comma-joined, or
 * `all`), `mode` and `dry_run`. Each distinct command line of a CronJob gets a group of its own, so
 * a `--targets Staging` job and a dry-run drift check never overwrite the metrics of the full sync.
 * Target names are plain identifiers (config rule `names`), never secret paths or values.
 */
export function pushGrouping(run: PushedRun): Record<string, string> {
  const targets = [...new Set(run.targets)].sort().join(',');
  return {
    targets: targets === '' ? 'all' : targets,
    mode: run.mode,
    dry_run: String(run.dryRun),
  };
}

/** The URL as it may be shown: without user, password, query or fragment. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return '(an invalid URL)';
  }
}

/** What a push did: nothing to do (no URL), pushed, or failed (and warned). */
export type PushOutcome = 'off' | 'pushed' | 'failed';

/**
 * Pushes the run's whole registry with PUT (prom-client's `push`) under job `secretsync` and the
 * run's grouping (`pushGrouping`): the group then holds exactly this run's series, so a series the
 * previous run had and this one lacks (an action label, an error type) does not linger as if it
 * were current. A failure is logged as a warning naming the Pushgateway and the fix, never
 * thrown: the sync's outcome and exit code stand. No URL: nothing is pushed.
 */
export async function pushRunMetrics(
  registry: Registry,
  url: string | undefined,
  run: PushedRun,
  logger: AppLogger,
  timeoutMs: number = PUSH_TIMEOUT_MS,
): Promise<PushOutcome> {
  if (url === undefined) return 'off';
  const shown = displayUrl(url);
  const grouping = pushGrouping(run);
  const gateway = new Pushgateway(url, { timeout: timeoutMs }, registry);
  try {
    await gateway.push({ jobName: PUSH_JOB, groupings: grouping });
    logger.info({ pushgateway: shown, grouping }, `pushed the run's metrics to ${shown}`);
    return 'pushed';
  } catch (error) {
    const reason = failureReason(error, url);
    logger.warn(
      { pushgateway: shown, reason },
      `could not push the run's metrics to the Pushgateway at ${shown} (${reason}); the sync ` +
        'itself is not affected. Check that the Pushgateway is running and reachable from here, ' +
        'or drop --pushgateway (SECRETSYNC_PUSHGATEWAY, metrics.pushgateway.url) to stop pushing.',
    );
    return 'failed';
  }
}

/** One line on why the push failed, with any password in the URL blanked out. */
function failureReason(error: unknown, url: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = (message.split('\n')[0] ?? '').slice(0, 200);
  const password = passwordOf(url);
  return password === '' ? line : line.replaceAll(password, '***');
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}
