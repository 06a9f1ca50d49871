/** A duration in milliseconds parsed from config text such as `30s`, `1m30s`, `500ms` or `1h`. */
export type DurationMs = number & { readonly __brand: 'DurationMs' };

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const satisfies Record<
  string,
  number
>;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;

/**
 * Parses a Go-style duration (`10s`, `1m30s`, `250ms`, `1.5h`) or a plain number of seconds.
 * Returns undefined when the text is not a duration, so callers can report the field.
 */
export function parseDuration(value: string | number): DurationMs | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? toDuration(value * 1_000) : undefined;
  }
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return toDuration(Number(text) * 1_000);
  if (text === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  let consumed = 0;
  for (let match = PART.exec(text); match !== null; match = PART.exec(text)) {
    const [whole, amount, unit] = match;
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
    consumed += whole.length;
  }
  return consumed === text.length ? toDuration(total) : undefined;
}

/** Renders milliseconds as the shortest readable duration (`30s`, `1m30s`, `250ms`). */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  const hours = Math.floor(ms / UNIT_MS.h);
  const minutes = Math.floor((ms % UNIT_MS.h) / UNIT_MS.m);
  const seconds = Math.round((ms % UNIT_MS.m) / 1_000);
  const parts = [
    hours ? `${hours}h` : '',
    minutes ? `${minutes}m` : '',
    seconds ? `${seconds}s` : '',
  ];
  return parts.join('') || '0s';
}

function toDuration(ms: number): DurationMs {
  return Math.round(ms) as DurationMs;
}
