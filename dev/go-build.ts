import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

/** How long one `go build` may take: a cold build of a large module on 2 cores takes minutes. */
const BUILD_TIMEOUT_MS = 45 * 60_000;

/** True when `binary` exists and is newer than every one of `sources`. */
export function isNewerThanSources(binary: string, sources: readonly string[]): boolean {
  if (!existsSync(binary)) return false;
  const built = statSync(binary).mtimeMs;
  return sources.every((file) => statSync(file).mtimeMs < built);
}

/** Rejects with `hint` when there is no `go` on PATH. */
export async function assertGoInstalled(env: NodeJS.ProcessEnv, hint: string): Promise<void> {
  try {
    await runGo(['version'], env);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(hint);
    throw error;
  }
}

/** Runs `go args...` (argument array, never a shell); rejects with the output on failure. */
export function runGo(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd?: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'go',
      [...args],
      {
        ...(cwd === undefined ? {} : { cwd }),
        env,
        timeout: BUILD_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve(`${stdout}${stderr}`);
          return;
        }
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(Object.assign(new Error('go: command not found'), { code: 'ENOENT' }));
          return;
        }
        const tail = `${stdout}${stderr}`.trim().split('\n').slice(-20).join('\n');
        reject(
          new Error(
            `go ${args.join(' ')} failed (${error.message.split('\n')[0] ?? ''}):\n${tail}`,
          ),
        );
      },
    );
  });
}
