import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { configureVaultPeer } from './vault-peer-setup.js';
import type { ConfiguredVaultPeer } from './vault-peer-setup.js';
import { ensureVaultPeerBinary } from './vault-peer-build.js';

/** How to start the real Vault test peer. */
export interface RealVaultOptions {
  /** A built binary; default: build (or reuse) the cached one. */
  readonly binary?: string;
  /** Progress lines (the build can take minutes). */
  readonly log?: (line: string) => void;
  /** How long to wait for the address line and `sys/health`; default 60 s. */
  readonly readyTimeoutMs?: number;
}

/** A running real Vault: its address, a root token, and what `configureVaultPeer` enabled. */
export interface RunningRealVault extends ConfiguredVaultPeer {
  readonly address: string;
  readonly rootToken: string;
  readonly pid: number;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and the TokenReview endpoint. */
  close(): Promise<void>;
}

const startLine = z.object({ address: z.url(), root_token: z.string().min(1) });
const health = z.object({
  initialized: z.literal(true),
  sealed: z.literal(false),
  version: z.string(),
});
const STOP_GRACE_MS = 5_000;

/** Builds (once) and starts the real Vault peer on a free loopback port, configured for tests. */
export async function startRealVault(options: RealVaultOptions = {}): Promise<RunningRealVault> {
  const binary = options.binary ?? (await ensureVaultPeerBinary(undefined, options.log));
  // Argument array, never a shell; a process group of its own so stop() reaches everything.
  const child = spawn(binary, [], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const stderr = collectTail(child);
  const exited = new Promise<void>((resolve) => {
    child.once('close', () => {
      resolve();
    });
  });
  const killOnExit = (): void => {
    signal(child, 'SIGKILL');
  };
  process.on('exit', killOnExit);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= stopChild(child, exited).finally(() => process.off('exit', killOnExit)));
  try {
    const timeoutMs = options.readyTimeoutMs ?? 60_000;
    const line = await firstLine(child, exited, timeoutMs, stderr);
    const { address, root_token: rootToken } = startLine.parse(JSON.parse(line));
    await waitForHealth(address, timeoutMs);
    const configured = await configureVaultPeer(address, rootToken);
    return {
      ...configured,
      address,
      rootToken,
      pid: child.pid ?? 0,
      close: async () => {
        await Promise.all([stop(), configured.tokenReview.close()]);
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function firstLine(
  child: ChildProcess,
  exited: Promise<void>,
  timeoutMs: number,
  stderr: () => string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => {
      reject(
        new Error(`the Vault peer printed no address within ${timeoutMs / 1000} s.${stderr()}`),
      );
    }, timeoutMs);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf('\n');
      if (end < 0) return;
      clearTimeout(timer);
      resolve(buffer.slice(0, end));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the Vault peer exited before it printed its address.${stderr()}`));
    });
  });
}

async function waitForHealth(address: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${address}/v1/sys/health`, {
        signal: AbortSignal.timeout(2_000),
      });
      if (response.status === 200 && health.safeParse(await response.json()).success) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline)
      throw new Error(`the Vault peer at ${address} never reported healthy`);
    await delay(100);
  }
}

function collectTail(child: ChildProcess): () => string {
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-4_000);
  });
  return () => (tail.trim() === '' ? '' : ` Its stderr:\n${tail.trim()}`);
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  // Never started (spawn failed) or already ended: nothing to stop, and 'close' may never come.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  signal(child, 'SIGTERM');
  const timer = setTimeout(() => {
    signal(child, 'SIGKILL');
  }, STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, name);
  } catch {
    // Already gone.
  }
}
