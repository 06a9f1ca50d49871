/** The three states of a circuit breaker. */
export type BreakerState = 'closed' | 'open' | 'half_open';

/** Breaker tuning, from the `circuit_breaker:` config block. */
export interface BreakerSettings {
  readonly failureThreshold: number;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly maxRequests: number;
}

/** A state change, for the log line and the state gauge. */
export interface BreakerTransition {
  readonly dependency: string;
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly reason: string;
  readonly at: number;
}

/** A permit to make one call; report how it went exactly once. */
export interface BreakerPermit {
  /**
   * `failure` counts against the circuit; `success` means the dependency answered; `unknown`
   * means the call never reached it (an inner call failed first), so it says nothing either way.
   */
  release(result: 'success' | 'failure' | 'unknown'): void;
}

/** Why a call was refused: the circuit is open (or half-open with its trials taken). */
export interface BreakerRejection {
  readonly dependency: string;
  readonly retryAt: number;
  readonly failures: number;
}

/**
 * One circuit per external dependency (requirement 2): closed → open after `failureThreshold`
 * failures within `intervalMs`; open rejects at once for `timeoutMs`; half-open admits
 * `maxRequests` trial calls; that many successes close it, any failure reopens it.
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures: number[] = [];
  private openedAt = 0;
  private trialsInFlight = 0;
  private trialSuccesses = 0;

  constructor(
    readonly dependency: string,
    private readonly settings: BreakerSettings,
    private readonly now: () => number,
    private readonly onTransition: (transition: BreakerTransition) => void,
  ) {}

  /** The state now (an open circuit whose timeout passed reads as half-open). */
  get state(): BreakerState {
    if (this.current === 'open' && this.now() >= this.openedAt + this.settings.timeoutMs) {
      this.moveTo(
        'half_open',
        `open for ${this.settings.timeoutMs}ms, trying ${this.settings.maxRequests} call(s)`,
      );
    }
    return this.current;
  }

  /** Asks to make a call: a permit, or the reason it is refused. */
  acquire(): BreakerPermit | BreakerRejection {
    const state = this.state;
    if (state === 'open') return this.rejection();
    if (state === 'half_open') {
      if (this.trialsInFlight + this.trialSuccesses >= this.settings.maxRequests)
        return this.rejection();
      this.trialsInFlight += 1;
      return this.permit(true);
    }
    return this.permit(false);
  }

  private permit(trial: boolean): BreakerPermit {
    let released = false;
    return {
      release: (result) => {
        if (released) return;
        released = true;
        if (trial && this.trialsInFlight > 0) this.trialsInFlight -= 1;
        if (result === 'failure') this.recordFailure(trial);
        else if (result === 'success' && trial) this.recordTrialSuccess();
      },
    };
  }

  private recordFailure(trial: boolean): void {
    const now = this.now();
    if (trial || this.current === 'half_open') {
      this.open(now, 'trial call failed in half-open state');
      return;
    }
    if (this.current !== 'closed') return;
    this.failures = this.failures.filter((at) => now - at < this.settings.intervalMs);
    this.failures.push(now);
    if (this.failures.length >= this.settings.failureThreshold) {
      this.open(now, `${this.failures.length} failures within ${this.settings.intervalMs}ms`);
    }
  }

  private recordTrialSuccess(): void {
    if (this.current !== 'half_open') return;
    this.trialSuccesses += 1;
    if (this.trialSuccesses >= this.settings.maxRequests) {
      this.failures = [];
      this.moveTo('closed', `${this.trialSuccesses} trial call(s) succeeded`);
    }
  }

  private open(now: number, reason: string): void {
    this.openedAt = now;
    this.moveTo('open', reason);
  }

  private rejection(): BreakerRejection {
    return {
      dependency: this.dependency,
      retryAt: this.openedAt + this.settings.timeoutMs,
      failures: this.failures.length,
    };
  }

  private moveTo(to: BreakerState, reason: string): void {
    const from = this.current;
    if (from === to) return;
    this.current = to;
    this.trialsInFlight = 0;
    this.trialSuccesses = 0;
    this.onTransition({ dependency: this.dependency, from, to, reason, at: this.now() });
  }
}

/** Tells a rejection from a permit. */
export function isRejection(value: BreakerPermit | BreakerRejection): value is BreakerRejection {
  return 'retryAt' in value;
}
