import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { CliResult } from './cli-in-dir.js';

const exec = promisify(execFile);

/** Runs the built CLI (`npm run build` first) as a user would, with exactly this environment. */
export async function runBuiltCli(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['dist/src/main.js', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as CliResult;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
