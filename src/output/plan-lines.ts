import type { SecretChange, SyncResult } from '../pipeline/report.js';

/** How a plan line reads at a glance; the human report colours by it. */
export type PlanTone = 'add' | 'change' | 'remove' | 'fail' | 'quiet';

/** One line of a target's plan: a symbol, a secret name and what happens to it. */
export interface PlanLine {
  readonly symbol: string;
  readonly text: string;
  readonly tone: PlanTone;
}

/** Plan lines shown per target before the rest is counted (`-o json` always has them all). */
export const PLAN_LINE_CAP = 25;

const SYMBOLS = { create: '+', restore: '+', update: '~', tag: '±', delete: '-' } as const;
const TONES = {
  create: 'add',
  restore: 'add',
  update: 'change',
  tag: 'change',
  delete: 'remove',
} as const satisfies Record<SecretChange['action'], PlanTone>;

/**
 * Every line of a target's plan: failures first (`!`), then each change (`+` create, `~` update,
 * `±` tags/metadata only, `-` delete), then orphans kept (`=`). `applied` false speaks in the
 * conditional; `diff` adds key names. Names and key names only, never values.
 */
export function planLines(sync: SyncResult, diff: boolean): PlanLine[] {
  return [
    ...sync.failures.map((failure) => ({
      symbol: '!',
      text: `${failure.name}: ${failure.reason}`,
      tone: 'fail' as const,
    })),
    ...sync.changes.map((change) => ({
      symbol: SYMBOLS[change.action],
      text: changeText(change, diff, sync.applied),
      tone: TONES[change.action],
    })),
    ...sync.keptOrphans.map((name) => ({
      symbol: '=',
      text: `${name} (orphan kept: delete_orphans is off)`,
      tone: 'quiet' as const,
    })),
  ];
}

/** The first `cap` lines and how many more there are. */
export function capLines<T>(
  lines: readonly T[],
  cap = PLAN_LINE_CAP,
): { shown: T[]; more: number } {
  return lines.length <= cap
    ? { shown: [...lines], more: 0 }
    : { shown: lines.slice(0, cap), more: lines.length - cap };
}

/** What the cap left out, as one line. */
export function moreText(more: number): string {
  return `… ${more} more (the full list is in -o json)`;
}

/** `staging/db (changed: host; added: ssl)`: the key names only with `diff`. */
function changeText(change: SecretChange, diff: boolean, applied: boolean): string {
  const keys = diff
    ? [
        change.keys.added.length > 0 ? `added: ${change.keys.added.join(', ')}` : '',
        change.keys.changed.length > 0 ? `changed: ${change.keys.changed.join(', ')}` : '',
        change.keys.removed.length > 0 ? `removed: ${change.keys.removed.join(', ')}` : '',
        change.tagsChanged && change.action !== 'tag' ? 'tags/metadata' : '',
      ]
    : [];
  const parts = [
    ...keys,
    change.action === 'tag' ? 'tags/metadata only' : '',
    change.action === 'restore'
      ? applied
        ? 'restored from scheduled deletion'
        : 'would restore from scheduled deletion'
      : '',
    change.action === 'delete' ? (applied ? 'orphan deleted' : 'orphan: would delete') : '',
  ].filter(Boolean);
  return `${change.name}${parts.length > 0 ? ` (${parts.join('; ')})` : ''}`;
}
