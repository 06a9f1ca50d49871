import type { Bundle } from '../core/json.js';
import { describeError } from '../context/describe-error.js';

/** What the phases share during one run: bundles merged so far and which targets failed. */
export class RunState {
  readonly bundles = new Map<string, Bundle>();
  /** The merge store generation each bundle of this run was stored as. */
  readonly generations = new Map<string, string>();
  readonly failed = new Map<string, string>();
  /** Failed targets that were skipped (not started) rather than tried. */
  private readonly skipped = new Set<string>();
  /** Targets refused before either phase began (the run lock), until a phase reports them. */
  private readonly refusals = new Map<string, unknown>();
  private stopReason: string | undefined;

  constructor(
    private readonly continueOnError: boolean,
    private readonly interrupted: () => boolean,
  ) {}

  /** Records a failed target; without continue_on_error, nothing new starts afterwards. */
  fail(target: string, message: string): void {
    this.failed.set(target, message);
    if (!this.continueOnError)
      this.stopReason ??= `not started: ${target} failed and pipeline.continue_on_error is false`;
  }

  /** Records a target not started because an import failed; it counts as failed for its descendants. */
  skip(target: string, reason: string): void {
    this.skipped.add(target);
    this.fail(target, reason);
  }

  /** Refuses a target before the phases begin: the first phase to reach it reports the error. */
  refuse(target: string, error: unknown): void {
    this.refusals.set(target, error);
    this.fail(target, describeError(error).message);
  }

  /** The target's refusal, once: the phase that reports it takes it. */
  takeRefusal(target: string): { readonly error: unknown } | undefined {
    if (!this.refusals.has(target)) return undefined;
    const error = this.refusals.get(target);
    this.refusals.delete(target);
    return { error };
  }

  /** Why new work must not start, if it must not. */
  blocked(): string | undefined {
    if (this.interrupted()) return 'not started: the run was interrupted (SIGINT/SIGTERM)';
    return this.stopReason;
  }

  /** True once SIGINT/SIGTERM arrived. */
  interruptedNow(): boolean {
    return this.interrupted();
  }

  /**
   * Why a target cannot be merged when one of its imports failed or was skipped (its descendants
   * cannot be trusted either): `it imports X, which failed` / `which was skipped`.
   */
  failedImport(imports: readonly string[]): string | undefined {
    const parent = imports.find((name) => this.failed.has(name));
    if (parent === undefined) return undefined;
    return `it imports ${parent}, which ${this.skipped.has(parent) ? 'was skipped' : 'failed'}`;
  }
}

/** Milliseconds since `started`. */
export function elapsed(started: number, now: () => number): number {
  return Math.round(now() - started);
}
