/** Who is at fault when an error happens: decides the exit code and whether a stack trace helps. */
export type Fault = 'user' | 'dependency' | 'internal';

/** Stable machine-readable error codes; part of the JSON output contract. */
export type ErrorCode =
  | 'config_invalid'
  | 'plan_invalid'
  | 'discovery_failed'
  | 'state_invalid'
  | 'operation_failed'
  | 'secrets_failed'
  | 'limit_exceeded'
  | 'guardrail_exceeded'
  | 'source_empty'
  | 'lock_held'
  | 'lock_lost'
  | 'stale_plan'
  | 'usage_invalid'
  | 'startup_failed'
  | 'data_invalid'
  | 'internal';

/** Base of every error SecretSync raises on purpose. */
export abstract class SecretSyncError extends Error {
  abstract readonly code: ErrorCode;
  abstract readonly fault: Fault;
}

/** One problem found in a config file: where it is and what is wrong. */
export interface ConfigIssue {
  /** Dotted YAML path, e.g. `targets.Prod.account_id`; empty for the document root. */
  readonly path: string;
  /** 1-based line in the file, when known. */
  readonly line?: number | undefined;
  readonly message: string;
  /** Name of the rule that found it, e.g. `account-id-format`. */
  readonly rule: string;
}

/** The config file cannot be used; carries every problem found, not only the first. */
export class ConfigError extends SecretSyncError {
  readonly code = 'config_invalid';
  readonly fault = 'user';
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(renderConfigIssues(file, issues));
    this.name = 'ConfigError';
  }
}

/** Renders config issues one per line as `file:line: path: message`. */
export function renderConfigIssues(file: string, issues: readonly ConfigIssue[]): string {
  const noun = issues.length === 1 ? 'problem' : 'problems';
  const lines = issues.map((issue) => {
    const where = issue.line === undefined ? file : `${file}:${issue.line}`;
    const path = issue.path === '' ? '(root)' : issue.path;
    return `  ${where}: ${path}: ${issue.message}`;
  });
  return [`config ${file} has ${issues.length} ${noun}:`, ...lines].join('\n');
}

/** The targets cannot be planned: a cycle, an unknown target name, or two targets on the same secrets. */
export class PlanError extends SecretSyncError {
  readonly code = 'plan_invalid';
  readonly fault = 'user';
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

/**
 * Dynamic-target discovery cannot go on: a group, permission set or Identity Center instance the
 * config names does not exist, or the caller sees several where one is needed.
 */
export class DiscoveryError extends SecretSyncError {
  readonly code = 'discovery_failed';
  readonly fault = 'user';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DiscoveryError';
  }
}

/**
 * The merge store does not hold the state a run needs: no bundle for a target (`--sync-only`
 * before any merge, a parent merged in no earlier run). Fixed by running the merge phase.
 */
export class StoreStateError extends SecretSyncError {
  readonly code = 'state_invalid';
  readonly fault = 'user';
  constructor(message: string) {
    super(message);
    this.name = 'StoreStateError';
  }
}

/**
 * The run lock stopped a target: another run holds it (`lock_held`, nothing was written), or this
 * run's lease was taken over while it worked (`lock_lost`, writing stopped at once).
 */
export class LockError extends SecretSyncError {
  readonly fault = 'user';
  constructor(
    readonly code: 'lock_held' | 'lock_lost',
    message: string,
  ) {
    super(message);
    this.name = 'LockError';
  }
}

/** The bundle changed between planning and apply: the plan was not applied. */
export class StalePlanError extends SecretSyncError {
  readonly code = 'stale_plan';
  readonly fault = 'dependency';
  constructor(message: string) {
    super(message);
    this.name = 'StalePlanError';
  }
}

/** The command line itself is wrong (conflicting flags, bad values). */
export class UsageError extends SecretSyncError {
  readonly code = 'usage_invalid';
  readonly fault = 'user';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A state the code believed impossible: a bug to report. */
export class InternalError extends SecretSyncError {
  readonly code = 'internal';
  readonly fault = 'internal';
  constructor(message: string, options?: { cause?: unknown }) {
    super(`internal error (this is a bug, please report it with this text): ${message}`, options);
    this.name = 'InternalError';
  }
}

/** A dependency answered with data SecretSync cannot use (a non-JSON secret, a foreign object). */
export class DataError extends SecretSyncError {
  readonly code = 'data_invalid';
  readonly fault = 'dependency';
  /** Never retried: asking again gives the same answer. */
  readonly outcome = 'invalid_request';
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

/**
 * A target's plan changes or deletes more secrets than a guardrail allows (`max_deletes`,
 * `max_changes`, or the run's budget): refused before anything is written.
 */
export class GuardrailError extends SecretSyncError {
  readonly code = 'guardrail_exceeded';
  readonly fault = 'user';
  constructor(message: string) {
    super(message);
    this.name = 'GuardrailError';
  }
}

/**
 * A source returned no secrets where the target's last sync wrote some (a path typo, a missing
 * policy): the target is refused before its merged bundle is stored or synced.
 */
export class EmptySourceError extends SecretSyncError {
  readonly code = 'source_empty';
  readonly fault = 'user';
  constructor(message: string) {
    super(message);
    this.name = 'EmptySourceError';
  }
}
