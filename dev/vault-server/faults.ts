import { z } from 'zod';
import { PERMISSION_DENIED, multierror } from './responses.js';

/** Body of `POST /_dev/faults`: which requests to break, and how. */
export const faultSpecSchema = z.strictObject({
  /** Regular expression tested against the path after `/v1/` (no query string). */
  path: z.string().min(1),
  /** HTTP method to match (`LIST` for `GET ?list=true` too); omitted = any. */
  method: z
    .string()
    .transform((method) => method.toUpperCase())
    .optional(),
  /** Answer with this status and `{"errors":[...]}` instead of handling the request. */
  status: z.number().int().min(400).max(599).optional(),
  /** Retry-After header value in seconds (429 gets 1 when omitted). */
  retry_after: z.number().int().min(0).optional(),
  /** Wait this long first (then answer the fault status, reset, or handle normally). */
  delay_ms: z.number().int().min(0).max(600_000).optional(),
  /** Reset the TCP connection instead of answering. */
  reset: z.boolean().optional(),
  /** Replaces the default `errors` array of the status answer. */
  errors: z.array(z.string()).optional(),
  /** How many matching requests to affect; omitted = every one until cleared. */
  count: z.number().int().min(1).optional(),
});

/** A fault as posted to the control surface. */
export type FaultSpec = z.infer<typeof faultSpecSchema>;

/** A registered fault and how many more requests it will affect. */
export interface Fault {
  readonly id: number;
  readonly spec: FaultSpec;
  readonly regex: RegExp;
  remaining: number | undefined;
}

/** Default `errors` per status, in the words Vault uses for that condition. */
const DEFAULT_ERRORS: Readonly<Record<number, readonly string[]>> = {
  400: ['invalid request'],
  403: [PERMISSION_DENIED],
  404: [],
  412: ['required index state not present'],
  429: [multierror('rate limit quota exceeded')],
  500: ['internal error'],
  502: ['bad gateway'],
  503: ['Vault is sealed'],
};

/** Registered faults, matched in registration order; the first match wins. */
export class FaultTable {
  private faults: Fault[] = [];
  private nextId = 1;

  /** Registers a fault; throws a SyntaxError for an invalid regular expression. */
  add(spec: FaultSpec): Fault {
    const fault: Fault = {
      id: this.nextId,
      spec,
      regex: new RegExp(spec.path),
      remaining: spec.count,
    };
    this.nextId += 1;
    this.faults.push(fault);
    return fault;
  }

  /** The fault for this request, if any; spends one of its `count`. */
  take(method: string, path: string): Fault | undefined {
    const fault = this.faults.find(
      (candidate) =>
        (candidate.spec.method === undefined || candidate.spec.method === method) &&
        candidate.regex.test(path),
    );
    if (fault?.remaining !== undefined) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.remove(fault.id);
    }
    return fault;
  }

  /** The active faults, for `GET /_dev/faults`. */
  list(): { id: number; remaining: number | null; spec: FaultSpec }[] {
    return this.faults.map((fault) => ({
      id: fault.id,
      remaining: fault.remaining ?? null,
      spec: fault.spec,
    }));
  }

  /** Removes one fault; false when there was none with that id. */
  remove(id: number): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((fault) => fault.id !== id);
    return this.faults.length !== before;
  }

  /** Removes every fault. */
  clear(): void {
    this.faults = [];
  }
}

/** The `errors` and headers a status fault answers with. */
export function faultAnswer(spec: FaultSpec): {
  errors: readonly string[];
  headers: Record<string, string>;
} {
  const status = spec.status ?? 500;
  const retryAfter = spec.retry_after ?? (status === 429 ? 1 : undefined);
  return {
    errors: spec.errors ?? DEFAULT_ERRORS[status] ?? [`HTTP ${status}`],
    headers: retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
  };
}

/** Delays that `close()` can cut short, so a slow-response fault never holds the server open. */
export class Sleeper {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();

  /** Resolves after `ms`, or at once when `cancelAll` runs. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve();
      }, ms);
      this.pending.set(timer, resolve);
    });
  }

  /** Ends every pending delay now. */
  cancelAll(): void {
    for (const [timer, resolve] of this.pending) {
      clearTimeout(timer);
      resolve();
    }
    this.pending.clear();
  }
}
