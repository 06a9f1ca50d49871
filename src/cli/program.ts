import { Command, CommanderError } from 'commander';
import { ConfigError, SecretSyncError } from '../core/errors.js';
import { exitCodeFor } from '../core/exit-code.js';
import { readBuildInfo } from './build-info.js';
import { applyBooleanEnv } from './env-option.js';
import { exitCodeModeOf } from './exit-code-mode.js';
import { contextCommand } from './context-command.js';
import { graphCommand } from './graph-command.js';
import { migrateCommand } from './migrate-command.js';
import { pipelineCommand } from './pipeline-command.js';
import type { CliIo } from './io.js';
import { validateCommand } from './validate-command.js';
import { versionCommand } from './version-command.js';

/** Builds the `secretsync` command tree; `finish` records the exit code a command chose. */
export function createProgram(io: CliIo, finish: (code: number) => void): Command {
  const program = new Command('secretsync')
    .description('Keep AWS Secrets Manager in many AWS accounts in step with HashiCorp Vault.')
    .version(readBuildInfo().version, '-V, --version', 'print the version number')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput(outputOf(io))
    .exitOverride()
    .hook('preAction', (_program, action) => {
      applyBooleanEnv(action, io.env);
    })
    .addHelpText(
      'after',
      `
Configuration: a YAML file (see docs/ and schema/secretsync.schema.json). Flags override it.
Logs go to stderr; reports go to stdout.

Getting started:
  $ secretsync validate --config examples/secretsync.yaml
  $ secretsync graph --config examples/secretsync.yaml --format mermaid
  $ secretsync pipeline --config examples/secretsync.yaml --dry-run --diff

Boolean environment variables (SECRETSYNC_DRY_RUN, SECRETSYNC_EXIT_CODE, ...) take
true/false/1/0/yes/no; any other value is an error naming the variable.`,
    );
  for (const command of [
    pipelineCommand(io, finish),
    validateCommand(io, finish),
    graphCommand(io, finish),
    contextCommand(io, finish),
    migrateCommand(io, finish),
    versionCommand(io, finish),
  ]) {
    program.addCommand(command.exitOverride().configureOutput(outputOf(io)));
  }
  return program;
}

function outputOf(io: CliIo): { writeOut(text: string): void; writeErr(text: string): void } {
  return {
    writeOut: (text) => {
      io.writeOut(text);
    },
    writeErr: (text) => {
      io.writeErr(text);
    },
  };
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code = 0;
  const program = createProgram(io, (chosen) => {
    code = chosen;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    return reportError(error, argv, io);
  }
}

function reportError(error: unknown, argv: readonly string[], io: CliIo): number {
  const exitCodeMode = exitCodeModeOf(argv, io.env);
  if (error instanceof CommanderError) {
    // Help and version "errors" are successful exits; usage errors were already printed.
    return error.exitCode === 0 ? 0 : exitCodeFor('failure', exitCodeMode);
  }
  if (error instanceof SecretSyncError) {
    const label = error instanceof ConfigError ? '' : 'error: ';
    io.writeErr(`${label}${error.message}\n`);
    if (error.fault === 'internal' && error.stack !== undefined) io.writeErr(`${error.stack}\n`);
    return exitCodeFor('failure', exitCodeMode);
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.writeErr(`internal error (this is a bug, please report it with this text):\n${detail}\n`);
  return exitCodeFor('failure', exitCodeMode);
}
