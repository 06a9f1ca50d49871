import type { PlanTone } from './plan-lines.js';

/** Paints text in a tone, or leaves it as it is. */
export type Paint = (tone: PlanTone | 'bold', text: string) => string;

const CODES = {
  add: '32',
  change: '33',
  remove: '31',
  fail: '31',
  quiet: '2',
  bold: '1',
} as const satisfies Record<PlanTone | 'bold', string>;

/**
 * Whether to colour output on a stream: `FORCE_COLOR` (anything but `0`/`false`) forces it on,
 * as in Node.js; otherwise `NO_COLOR` (any non-empty value) turns it off; otherwise only a
 * terminal gets colour — never a pipe or a file.
 */
export function colourWanted(
  env: Readonly<Record<string, string | undefined>>,
  isTty: boolean,
): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTty;
}

/** ANSI colours (green/yellow/red/dim/bold) when `enabled`, plain text otherwise. */
export function painter(enabled: boolean): Paint {
  return enabled ? (tone, text) => `\x1b[${CODES[tone]}m${text}\x1b[0m` : (_tone, text) => text;
}
