import { Option } from 'commander';
import type { Command } from 'commander';
import type { Config } from '../config/types.js';
import { UsageError } from '../core/errors.js';
import type { GuardrailLimits } from '../pipeline/guardrails.js';

/** The guardrail flags as commander parses them. */
export interface GuardrailFlags {
  readonly maxDeletes?: string;
  readonly maxChanges?: string;
  readonly runMaxDeletes?: string;
  readonly runMaxChanges?: string;
}

/** Adds `--max-deletes`, `--max-changes`, `--run-max-deletes`, `--run-max-changes` (and env). */
export function addGuardrailOptions(command: Command): Command {
  const options = [
    ['--max-deletes <n>', 'most secrets one target may delete (overrides max_deletes)'],
    ['--max-changes <n>', 'most secrets one target may change (overrides max_changes)'],
    ['--run-max-deletes <n>', 'most secrets the whole run may delete (overrides run_max_deletes)'],
    ['--run-max-changes <n>', 'most secrets the whole run may change (overrides run_max_changes)'],
  ] as const;
  for (const [flags, description] of options) {
    const env = `SECRETSYNC_${flags.slice(2, flags.indexOf(' ')).replaceAll('-', '_').toUpperCase()}`;
    command.addOption(
      new Option(flags, `${description}; a larger plan is refused before apply`).env(env),
    );
  }
  return command;
}

/** The run's guardrail limits: flags over `pipeline.sync`; per-target flags replace every target's. */
export function guardrailLimits(flags: GuardrailFlags, config: Config): GuardrailLimits {
  return {
    maxDeletes: countFlag('--max-deletes', flags.maxDeletes),
    maxChanges: countFlag('--max-changes', flags.maxChanges),
    runMaxDeletes:
      countFlag('--run-max-deletes', flags.runMaxDeletes) ?? config.pipeline.runMaxDeletes,
    runMaxChanges:
      countFlag('--run-max-changes', flags.runMaxChanges) ?? config.pipeline.runMaxChanges,
  };
}

function countFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const count = Number(value);
  if (value.trim() === '' || !Number.isInteger(count) || count < 0)
    throw new UsageError(`${name} must be a whole number of 0 or more, got "${value}"`);
  return count;
}
