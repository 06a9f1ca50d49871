import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { spawnMotoProcess, waitUntilReady } from './moto-process.js';
import type { MotoCommand, MotoProcess, ProcessExit } from './moto-process.js';

export type { MotoCommand } from './moto-process.js';

/** How to start moto's standalone server. */
export interface MotoServerOptions {
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** Fixed port; default a free loopback port picked just before the start. */
  port?: number;
  /** Commands tried in order; injectable so tests can simulate a machine without moto. */
  commands?: readonly MotoCommand[];
  /** Environment of the server process; its PATH is where the command is looked up. */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the first answer; default 20 s. */
  readyTimeoutMs?: number;
}

/** A started moto server. */
export interface RunningMotoServer {
  /** Base URL for every AWS service, e.g. `http://127.0.0.1:43123`. */
  readonly endpoint: string;
  /** Process id, which is also the id of the server's process group. */
  readonly pid: number;
  /** Wipes every backend (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  /** Stops the server's whole process group and waits until it has exited. */
  close(): Promise<void>;
}

/**
 * Where moto's server is looked for: moto behind a one-request-at-a-time lock first (moto's
 * Secrets Manager store is not thread-safe; see dev/moto_serialized.py), then the console script,
 * then the module.
 */
export const DEFAULT_MOTO_COMMANDS: readonly MotoCommand[] = [
  { command: 'python3', args: [serializedScript()] },
  { command: 'moto_server', args: [] },
  { command: 'python3', args: ['-m', 'moto.server'] },
];

/** dev/moto_serialized.py, found from the sources (dev/) and from the build (dist/dev/). */
function serializedScript(): string {
  const candidates = ['./moto_serialized.py', '../../dev/moto_serialized.py'].map((relative) =>
    fileURLToPath(new URL(relative, import.meta.url)),
  );
  return candidates.find((path) => existsSync(path)) ?? (candidates[0] as string);
}

/** What a user without moto has to run. */
export const MOTO_INSTALL_HINT = 'pip install "moto[server]"';

const DEFAULT_READY_TIMEOUT_MS = 20_000;
const PORT_ATTEMPTS = 5;
const MISSING_OUTPUT = /No module named|ModuleNotFoundError|command not found|can't open file/i;
const PORT_IN_USE_OUTPUT = /Address already in use|is in use by another program/i;
const resetReply = z.object({ status: z.literal('ok') });
const dataDump = z.record(z.string(), z.unknown());

type Launch =
  | { readonly kind: 'started'; readonly server: RunningMotoServer }
  | { readonly kind: 'missing'; readonly reason: string }
  | { readonly kind: 'port-in-use'; readonly error: Error };

/** Starts `moto_server` on a free loopback port and resolves once it answers. */
export async function startMotoServer(options: MotoServerOptions = {}): Promise<RunningMotoServer> {
  const reasons: string[] = [];
  for (const command of options.commands ?? DEFAULT_MOTO_COMMANDS) {
    const launch = await launchWithRetries(command, options);
    if (launch.kind === 'started') return launch.server;
    reasons.push(`${commandLine(command)}: ${launch.reason}`);
  }
  throw new Error(
    `moto is missing: could not start moto's server (${reasons.join('; ')}). ` +
      `Install moto 5.x with: ${MOTO_INSTALL_HINT}`,
  );
}

async function launchWithRetries(
  command: MotoCommand,
  options: MotoServerOptions,
): Promise<Exclude<Launch, { kind: 'port-in-use' }>> {
  const host = options.host ?? '127.0.0.1';
  // A picked port can be taken by someone else before moto binds it; a fixed port cannot move.
  const attempts = options.port === undefined ? PORT_ATTEMPTS : 1;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await findFreePort(host));
    const outcome = await launch(command, host, port, options);
    if (outcome.kind !== 'port-in-use') return outcome;
    if (attempt >= attempts) throw outcome.error;
  }
}

async function launch(
  command: MotoCommand,
  host: string,
  port: number,
  options: MotoServerOptions,
): Promise<Launch> {
  const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const proc = spawnMotoProcess(command, ['-H', host, '-p', String(port)], serverEnv(options.env));
  const timeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const readiness = await waitUntilReady(proc, () => answersDataJson(endpoint), timeoutMs);
  if (readiness === 'ready') return { kind: 'started', server: runningServer(endpoint, proc) };
  if (readiness === 'timeout') {
    await proc.stop();
    throw new Error(
      `moto's server (${commandLine(command)}) did not answer on ${endpoint} within ` +
        `${timeoutMs / 1000} s.${stderrSuffix(proc)}`,
    );
  }
  return classifyEarlyExit(command, endpoint, readiness, proc);
}

function classifyEarlyExit(
  command: MotoCommand,
  endpoint: string,
  exit: ProcessExit,
  proc: MotoProcess,
): Launch {
  if (exit.kind === 'spawn-failed') {
    const code = exit.error.code ?? '';
    if (code === 'ENOENT' || code === 'EACCES') return { kind: 'missing', reason: 'not found' };
    throw new Error(`could not run ${commandLine(command)}: ${exit.error.message}`);
  }
  const output = proc.stderrTail().join('\n');
  // 127 is what shells and pyenv shims return for an unknown command.
  if (exit.code === 127 || MISSING_OUTPUT.test(output)) {
    return { kind: 'missing', reason: proc.stderrTail().at(-1) ?? `exit code ${exit.code}` };
  }
  const error = new Error(
    `moto's server (${commandLine(command)}) exited with ` +
      `${exit.signal ?? `code ${String(exit.code)}`} before answering on ${endpoint}.` +
      stderrSuffix(proc),
  );
  if (PORT_IN_USE_OUTPUT.test(output)) return { kind: 'port-in-use', error };
  throw error;
}

async function answersDataJson(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/data.json`, {
      signal: AbortSignal.timeout(2_000),
    });
    return response.ok && dataDump.safeParse(await response.json()).success;
  } catch {
    // Refused or half-started: not ready yet.
    return false;
  }
}

function runningServer(endpoint: string, proc: MotoProcess): RunningMotoServer {
  return {
    endpoint,
    // A process that answered HTTP was spawned, so it has a pid.
    pid: proc.pid as number,
    reset: () => resetMoto(endpoint),
    close: () => proc.stop(),
  };
}

async function resetMoto(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, {
    method: 'POST',
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  const reply = resetReply.safeParse(parseJson(text));
  if (!response.ok || !reply.success) {
    throw new Error(`moto reset failed: HTTP ${response.status} ${text.slice(0, 200)}`);
  }
}

/** Picks a port the OS reports free by binding port 0 and releasing it again. */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

function serverEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  // MOTO_ACCOUNT_ID would pin every request to one account and break AssumeRole switching.
  const env: NodeJS.ProcessEnv = { ...base, PYTHONUNBUFFERED: '1' };
  delete env.MOTO_ACCOUNT_ID;
  return env;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function stderrSuffix(proc: MotoProcess): string {
  const tail = proc.stderrTail();
  return tail.length === 0
    ? ' It wrote nothing to stderr.'
    : ` Last stderr lines:\n${tail.join('\n')}`;
}

function commandLine(command: MotoCommand): string {
  return [command.command, ...command.args].join(' ');
}
