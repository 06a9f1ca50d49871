/**
 * The server's wall clock: the real time plus an offset that tests move forward through
 * `POST /_dev/clock`, so token expiry can be tested without sleeping.
 */
export class Clock {
  private offsetMs = 0;

  constructor(private readonly source: () => number = Date.now) {}

  /** Milliseconds since the epoch, as the server sees it. */
  now(): number {
    return this.source() + this.offsetMs;
  }

  /** RFC 3339 timestamp of now, the format Vault uses for `created_time` and friends. */
  iso(): string {
    return new Date(this.now()).toISOString();
  }

  /** Moves the server's time forward (never backward: expiry must not be undone). */
  advance(ms: number): void {
    this.offsetMs += Math.max(0, ms);
  }

  /** Back to real time. */
  reset(): void {
    this.offsetMs = 0;
  }
}

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  '': 1,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
};

/**
 * Vault's duration parameters: a number of seconds, a numeric string, or a Go-style duration
 * such as `90s`, `30m`, `1h30m`, `768h`. Returns whole seconds; undefined when unparseable.
 */
export function parseDurationSeconds(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) return undefined;
  let seconds = 0;
  for (const [, amount = '0', unit = ''] of parts) {
    seconds += unit === 'ms' ? Number(amount) / 1000 : Number(amount) * (UNIT_SECONDS[unit] ?? 1);
  }
  return Math.floor(seconds);
}

/** Seconds as Go prints a duration, which is how Vault returns them: `0s`, `1h0m0s`, `1m30s`. */
export function formatGoDuration(totalSeconds: number): string {
  const seconds = Math.floor(totalSeconds);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${hours}h${minutes}m${rest}s`;
  if (minutes > 0) return `${minutes}m${rest}s`;
  return `${rest}s`;
}
