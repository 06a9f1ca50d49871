import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

/** Runs the CLI in-process (counted in coverage) with captured streams and the given env. */
export async function runCliCaptured(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const io: CliIo & { out: string; err: string } = {
    env,
    cwd: process.cwd(),
    stderrIsTty: false,
    out: '',
    err: '',
    writeOut: (text) => {
      io.out += text;
    },
    writeErr: (text) => {
      io.err += text;
    },
    watchStop: () => ({ stopped: () => false, dispose: () => undefined }),
  };
  const code = await runCli(args, io);
  return { code, stdout: io.out, stderr: io.err };
}
