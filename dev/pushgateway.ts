import { spawnMotoProcess, waitUntilReady } from './moto-process.js';
import type { MotoProcess } from './moto-process.js';
import { findFreePort } from './moto-server.js';
import { ensurePushgatewayBinary } from './pushgateway-build.js';

/** How to start the real Pushgateway. */
export interface PushgatewayOptions {
  /** A built binary; default: build (or reuse) the cached one. */
  readonly binary?: string;
  /** Progress lines (a cold build takes minutes). */
  readonly log?: (line: string) => void;
  /** How long to wait for `/-/ready`; default 20 s. */
  readonly readyTimeoutMs?: number;
}

/** A running Pushgateway on a loopback port, metrics in memory only (no persistence file). */
export interface RunningPushgateway {
  /** Base URL, e.g. http://127.0.0.1:40123: what `--pushgateway` takes. */
  readonly url: string;
  readonly pid: number;
  /** Its `/metrics` exposition: its own series and every pushed group's. */
  scrape(): Promise<string>;
  /** Stops the process group (SIGKILL after a grace period) and waits for the exit. */
  close(): Promise<void>;
}

const PORT_ATTEMPTS = 5;
const PORT_IN_USE = /address already in use/i;

/**
 * Builds (once) and starts the Pushgateway on a free loopback port. It cannot report a port it
 * picked itself, so a free port is picked first (bind port 0, release it) and passed in; a port
 * someone takes in between is retried with another.
 */
export async function startPushgateway(
  options: PushgatewayOptions = {},
): Promise<RunningPushgateway> {
  const binary = options.binary ?? (await ensurePushgatewayBinary(undefined, options.log));
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort();
    const url = `http://127.0.0.1:${port}`;
    // Argument array, never a shell; its own process group, killed if this process dies.
    const proc = spawnMotoProcess(
      { command: binary, args: [] },
      [`--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      process.env,
    );
    const readiness = await waitUntilReady(
      proc,
      () => isReady(url),
      options.readyTimeoutMs ?? 20_000,
    );
    if (readiness === 'ready') return running(url, proc);
    await proc.stop();
    const why =
      readiness === 'timeout'
        ? 'did not answer /-/ready in time'
        : readiness.kind === 'spawn-failed'
          ? `could not start: ${readiness.error.message}`
          : `exited with ${readiness.signal ?? `code ${String(readiness.code)}`}`;
    const stderr = proc.stderrTail().join('\n');
    if (attempt < PORT_ATTEMPTS && PORT_IN_USE.test(stderr)) continue;
    throw new Error(`the Pushgateway (${binary}) on ${url} ${why}.\n${stderr}`.trim());
  }
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2_000) });
    return response.status === 200;
  } catch {
    // Not listening yet.
    return false;
  }
}

function running(url: string, proc: MotoProcess): RunningPushgateway {
  return {
    url,
    // A process that answered HTTP was spawned, so it has a pid.
    pid: proc.pid as number,
    scrape: async () => {
      const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`GET ${url}/metrics: HTTP ${response.status}`);
      return response.text();
    },
    close: () => proc.stop(),
  };
}
