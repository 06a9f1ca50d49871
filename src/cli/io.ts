import type { Environment } from '../config/env-substitution.js';

/** What commands may touch of the outside world: output streams, environment, working dir. */
export interface CliIo {
  readonly env: Environment;
  readonly cwd: string;
  /** Reports and command results (stdout). */
  writeOut(text: string): void;
  /** Diagnostics, warnings and errors (stderr). */
  writeErr(text: string): void;
}

/** The real process streams and environment. */
export function processIo(): CliIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    writeOut: (text) => process.stdout.write(text),
    writeErr: (text) => process.stderr.write(text),
  };
}
