import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How long one `go build` may take: a cold build of a large module on 2 cores takes minutes. */
const BUILD_TIMEOUT_MS = 45 * 60_000;

/** Where one Go test peer's sources (test/peers/NAME) and the cached binaries (.cache/peers) are. */
export interface PeerLocation {
  readonly source: string;
  readonly cache: string;
}

/**
 * The location of test/peers/`peer`, found from the sources (dev/) and from the build (dist/dev/);
 * the cache is `cacheDir`, else SECRETSYNC_PEER_CACHE, else .cache/peers of the clone.
 */
export function peerLocation(peer: string, cacheDir?: string): PeerLocation {
  const sourceRoot = fileURLToPath(new URL('../', import.meta.url));
  const buildRoot = fileURLToPath(new URL('../../', import.meta.url));
  const goMod = join('test/peers', peer, 'go.mod');
  const root = existsSync(join(sourceRoot, goMod)) ? sourceRoot : buildRoot;
  const cache = cacheDir ?? process.env.SECRETSYNC_PEER_CACHE ?? join(root, '.cache/peers');
  return { source: join(root, 'test/peers', peer), cache };
}

/** The version a go.mod requires of `module` (a require line, single or in a block). */
export function requiredVersion(goMod: string, module: string, where: string): string {
  const escaped = module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped} (v\\S+)`, 'm').exec(goMod);
  if (match?.[1] === undefined) throw new Error(`${where} does not require ${module}`);
  return match[1];
}

/** What one `go build` of a single main package into the peer cache needs. */
export interface GoBinaryBuild {
  /** The module folder `go build` runs in (test/peers/NAME). */
  readonly source: string;
  /** The package to build: `.` or a package path a require of go.mod provides. */
  readonly target: string;
  readonly binary: string;
  readonly ldflags: string;
  /** Where `go build`'s own output is kept. */
  readonly logFile: string;
}

/**
 * Builds one main package with the flags every peer uses (module graph read-only, no VCS stamp,
 * trimmed paths), into a partial file renamed into place: rename is atomic, so a concurrent reader
 * never sees half a binary.
 */
export async function buildGoBinary(build: GoBinaryBuild, env: NodeJS.ProcessEnv): Promise<void> {
  mkdirSync(dirname(build.binary), { recursive: true });
  const partial = `${build.binary}.${process.pid}.partial`;
  const flags = ['-mod=readonly', '-buildvcs=false', '-trimpath', '-ldflags', build.ldflags];
  const output = await runGo(['build', ...flags, '-o', partial, build.target], env, build.source);
  writeFileSync(build.logFile, output);
  renameSync(partial, build.binary);
}

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
