import type { Environment } from '../config/env-substitution.js';
import { UsageError } from '../core/errors.js';
import type { CliIo } from './io.js';
import { runCli } from './program.js';

/** The inputs of `action.yml`, in the order their flags appear on the command line. */
export const ACTION_INPUTS = [
  'config',
  'targets',
  'dry-run',
  'merge-only',
  'sync-only',
  'discover',
  'output-format',
  'compute-diff',
  'exit-code',
  'log-level',
  'log-format',
] as const;

/** One input of the GitHub Action. */
export type ActionInput = (typeof ACTION_INPUTS)[number];

/** How an input becomes `secretsync pipeline` flags: a value flag or an on/off switch. */
type InputFlag =
  | { readonly kind: 'value'; readonly flag: string }
  | { readonly kind: 'switch'; readonly flag: string };

const INPUT_FLAGS = {
  config: { kind: 'value', flag: '--config' },
  targets: { kind: 'value', flag: '--targets' },
  'dry-run': { kind: 'switch', flag: '--dry-run' },
  'merge-only': { kind: 'switch', flag: '--merge-only' },
  'sync-only': { kind: 'switch', flag: '--sync-only' },
  discover: { kind: 'switch', flag: '--discover' },
  'output-format': { kind: 'value', flag: '--output' },
  'compute-diff': { kind: 'switch', flag: '--diff' },
  'exit-code': { kind: 'switch', flag: '--exit-code' },
  'log-level': { kind: 'value', flag: '--log-level' },
  'log-format': { kind: 'value', flag: '--log-format' },
} as const satisfies Record<ActionInput, InputFlag>;

// The YAML 1.2 core-schema booleans, as @actions/core's getBooleanInput accepts them.
const TRUE_WORDS = new Set(['true', 'True', 'TRUE']);
const FALSE_WORDS = new Set(['false', 'False', 'FALSE']);

/**
 * Maps action inputs to the argv of `secretsync pipeline`. Empty inputs are omitted, switches are
 * added for `true` and left out for `false`, and values are joined to their flag with `=` so a
 * value starting with `-` can never be read as another flag. No shell ever sees these strings.
 */
export function actionArguments(inputs: Readonly<Record<string, string>>): string[] {
  const argv = ['pipeline'];
  for (const name of ACTION_INPUTS) {
    const raw = (inputs[name] ?? '').trim();
    if (raw === '') continue;
    const mapping: InputFlag = INPUT_FLAGS[name];
    if (mapping.kind === 'value') argv.push(`${mapping.flag}=${raw}`);
    else if (parseBooleanInput(name, raw)) argv.push(mapping.flag);
  }
  return argv;
}

/** Reads the action inputs GitHub passes as `INPUT_<NAME>` variables (hyphens kept, upper case). */
export function actionInputsFromEnv(env: Environment): Record<ActionInput, string> {
  const inputs = {} as Record<ActionInput, string>;
  for (const name of ACTION_INPUTS) inputs[name] = env[`INPUT_${name.toUpperCase()}`] ?? '';
  return inputs;
}

/** Runs the action: inputs from the environment, then the CLI in-process; returns the exit code. */
export async function runAction(io: CliIo): Promise<number> {
  let argv: string[];
  try {
    argv = actionArguments(actionInputsFromEnv(io.env));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.writeErr(`::error title=SecretSync::${error.message}\n`);
    return 1;
  }
  io.writeErr(`secretsync ${argv.join(' ')}\n`);
  return runCli(argv, io);
}

function parseBooleanInput(name: ActionInput, value: string): boolean {
  if (TRUE_WORDS.has(value)) return true;
  if (FALSE_WORDS.has(value)) return false;
  throw new UsageError(`input "${name}" must be true or false, got "${value}"`);
}
