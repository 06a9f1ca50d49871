import { execFile } from 'node:child_process';

/** The built CLI (`npm run build`; `npm test` builds first). */
export const BUILT_CLI = 'dist/src/main.js';

/** What one run of the built CLI did. */
export interface BuiltCliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a user would: its own process, argument array, exactly `env`. */
export function runBuiltCli(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<BuiltCliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BUILT_CLI, ...args],
      { env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
