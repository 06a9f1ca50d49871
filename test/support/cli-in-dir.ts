import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

/** What one in-process CLI run printed and how it ended. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI in-process with captured streams, the given environment and working directory
 * (relative `--config` paths resolve against `cwd`, as they do for a user in that directory).
 */
export async function runCliInDir(
  args: readonly string[],
  options: { readonly env: Readonly<Record<string, string>>; readonly cwd: string },
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    env: options.env,
    cwd: options.cwd,
    stderrIsTty: false,
    stdoutIsTty: false,
    writeOut: (text) => {
      stdout += text;
    },
    writeErr: (text) => {
      stderr += text;
    },
    watchStop: () => ({ stopped: () => false, dispose: () => undefined }),
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/** Lines of `text` that look like a JavaScript stack frame (`    at fn (file:1:2)`). */
export function stackFrames(text: string): string[] {
  return text.split('\n').filter((line) => /^\s+at\s\S/.test(line));
}
