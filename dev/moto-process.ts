import { setTimeout as delay } from 'node:timers/promises';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

/** A command line that starts moto's server; the launcher appends `-H <host> -p <port>`. */
export interface MotoCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/** How a spawned process ended: an exit code or signal, or a failure to start at all. */
export type ProcessExit =
  | { readonly kind: 'exited'; readonly code: number | null; readonly signal: string | null }
  | { readonly kind: 'spawn-failed'; readonly error: NodeJS.ErrnoException };

/** One spawned server process, running in a process group of its own. */
export interface MotoProcess {
  readonly pid: number | undefined;
  /** Settles once the process has ended and its stderr is drained, or when it could not start. */
  readonly exited: Promise<ProcessExit>;
  /** The last lines the process wrote to stderr, oldest first. */
  stderrTail(): string[];
  /** Terminates the whole process group (SIGKILL after a grace period) and waits for the exit. */
  stop(): Promise<void>;
}

const TAIL_LINES = 20;
const STOP_GRACE_MS = 5_000;

/** Spawns `command args... extraArgs...` (argument array, never a shell) with stderr captured. */
export function spawnMotoProcess(
  command: MotoCommand,
  extraArgs: readonly string[],
  env: NodeJS.ProcessEnv,
): MotoProcess {
  const child = spawn(command.command, [...command.args, ...extraArgs], {
    env,
    // stdout is unused; stderr is read continuously so the child never blocks on a full pipe.
    stdio: ['ignore', 'ignore', 'pipe'],
    // A group of its own lets stop() reach whatever a wrapper (pyenv shim, python -m) started.
    detached: true,
  });
  const tail = collectTail(child);
  const exited = waitForExit(child);
  // 'exit' handlers must be synchronous: a last SIGKILL so a crashed parent leaves no server behind.
  const killOnParentExit = (): void => {
    signalGroup(child, 'SIGKILL');
  };
  process.on('exit', killOnParentExit);
  void exited.then(() => process.off('exit', killOnParentExit));
  let stopping: Promise<void> | undefined;
  return {
    pid: child.pid,
    exited,
    stderrTail: tail,
    stop: () => (stopping ??= stopGroup(child, exited)),
  };
}

function collectTail(child: ChildProcess): () => string[] {
  const lines: string[] = [];
  let partial = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    const parts = (partial + chunk).split(/\r?\n/);
    partial = parts.pop() ?? '';
    lines.push(...parts.filter((line) => line.trim() !== ''));
    // Werkzeug logs every request to stderr, so keep only what an error message needs.
    lines.splice(0, Math.max(0, lines.length - TAIL_LINES));
  });
  return () => (partial.trim() === '' ? [...lines] : [...lines, partial]);
}

function waitForExit(child: ChildProcess): Promise<ProcessExit> {
  return new Promise((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined) resolve({ kind: 'spawn-failed', error });
    });
    // 'close' rather than 'exit': it waits for stderr, which holds the reason for an early exit.
    child.once('close', (code: number | null, signal: string | null) => {
      resolve({ kind: 'exited', code, signal });
    });
  });
}

async function stopGroup(child: ChildProcess, exited: Promise<ProcessExit>): Promise<void> {
  signalGroup(child, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      resolve('timeout');
    }, STOP_GRACE_MS);
  });
  const first = await Promise.race([exited, grace]);
  clearTimeout(timer);
  if (first === 'timeout') {
    signalGroup(child, 'SIGKILL');
    await exited;
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // A negative pid addresses the process group the detached child leads.
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone, which is the goal.
  }
}

/**
 * Polls `probe` every 100 ms until it answers true ('ready'), the process exits (its exit), or
 * `timeoutMs` passes ('timeout'): the start-up wait of every spawned test peer.
 */
export async function waitUntilReady(
  proc: MotoProcess,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<'ready' | 'timeout' | ProcessExit> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const polled = probe().then((ok) => (ok ? ('ready' as const) : undefined));
    const result = await Promise.race([proc.exited, polled]);
    if (result !== undefined) return result;
    await delay(100);
  }
  return 'timeout';
}
