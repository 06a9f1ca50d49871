import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { parse } from 'yaml';
import { parseConfig } from '../config/load.js';
import { migrateInputs } from '../config/migrate.js';
import { ConfigError } from '../core/errors.js';
import type { CliIo } from './io.js';

interface MigrateFlags {
  readonly targets: string;
  readonly secrets: string;
  readonly accounts?: string;
  readonly mergeMount: string;
}

/** `secretsync migrate`: turn the earlier Terraform-style inputs into a config file on stdout. */
export function migrateCommand(io: CliIo, finish: (code: number) => void): Command {
  return new Command('migrate')
    .description(
      'convert the earlier Terraform-style targets/secrets/accounts files into a SecretSync config (printed to stdout)',
    )
    .requiredOption(
      '--targets <file>',
      'targets file (YAML or JSON): a map of name -> imports or {imports, account_id, ...}, or a list of {name, ...}',
    )
    .requiredOption(
      '--secrets <file>',
      'secrets (sources) file: a map of name -> "mount/path" or {mount, path}, or a list of {name, mount, path}',
    )
    .option(
      '--accounts <file>',
      'accounts file: a map of target name -> account id, or a list of {name, account_id}',
    )
    .option('--merge-mount <mount>', 'Vault KV v2 mount for the merge store', 'merged')
    .addHelpText(
      'after',
      `
The result is validated before it is printed; problems are reported with the file they came from.

Example:
  $ secretsync migrate --targets targets.yaml --secrets secrets.yaml --accounts accounts.yaml > config.yaml`,
    )
    .action(async (flags: MigrateFlags) => {
      const files = {
        targets: flags.targets,
        secrets: flags.secrets,
        accounts: flags.accounts ?? '(none)',
      };
      const text = migrateInputs(
        {
          targets: await readInput(flags.targets, io),
          secrets: await readInput(flags.secrets, io),
          accounts: flags.accounts === undefined ? undefined : await readInput(flags.accounts, io),
          mergeMount: flags.mergeMount,
        },
        files,
      );
      // Validate exactly what we print; the address comes from VAULT_ADDR when the config is used.
      const { warnings } = parseConfig(text, 'migrated config', {
        VAULT_ADDR: 'https://vault.invalid:8200',
        ...io.env,
      });
      for (const warning of warnings) io.writeErr(`warning: ${warning.path}: ${warning.message}\n`);
      io.writeOut(text);
      finish(0);
    });
}

async function readInput(path: string, io: CliIo): Promise<unknown> {
  try {
    return parse(await readFile(resolve(io.cwd, path), 'utf8')) as unknown;
  } catch (error) {
    throw new ConfigError(path, [
      {
        path: '',
        message: `cannot be read as YAML or JSON: ${(error as Error).message.split('\n')[0] ?? ''}`,
        rule: 'migrate-input',
      },
    ]);
  }
}
