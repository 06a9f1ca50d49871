import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort, startMotoServer } from './moto-server.js';
import type { RunningMotoServer } from './moto-server.js';

function secretsManager(endpoint: string): SecretsManagerClient {
  return new SecretsManagerClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

function groupIsAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startMotoServer', () => {
  let moto: RunningMotoServer;

  beforeAll(async () => {
    moto = await startMotoServer();
  });
  afterAll(async () => {
    await moto.close();
  });

  it('answers on a loopback endpoint', async () => {
    expect(moto.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${moto.endpoint}/moto-api/data.json`);
    expect(response.status).toBe(200);
    // Backends load lazily, so a fresh server dumps an empty object.
    expect(await response.json()).toEqual({});
  });

  it('runs moto behind the one-request-at-a-time lock by default', () => {
    const commandLine = readFileSync(`/proc/${moto.pid}/cmdline`, 'utf8').split('\0');
    expect(commandLine.some((arg) => arg.endsWith('dev/moto_serialized.py'))).toBe(true);
  });

  it('reset wipes a created secret', async () => {
    const client = secretsManager(moto.endpoint);
    await client.send(new CreateSecretCommand({ Name: 'dev/reset-check', SecretString: 'x' }));
    const before = await client.send(new GetSecretValueCommand({ SecretId: 'dev/reset-check' }));
    expect(before.SecretString).toBe('x');

    await moto.reset();

    await expect(
      client.send(new GetSecretValueCommand({ SecretId: 'dev/reset-check' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    client.destroy();
  });
});

describe('closing', () => {
  it('ends the process group and frees the endpoint', async () => {
    const moto = await startMotoServer();
    expect(groupIsAlive(moto.pid)).toBe(true);

    await moto.close();

    expect(groupIsAlive(moto.pid)).toBe(false);
    await expect(fetch(`${moto.endpoint}/moto-api/data.json`)).rejects.toThrow();
    // A second close is harmless.
    await moto.close();
  });
});

describe('command fallback', () => {
  it('falls back to python3 -m moto.server when moto_server is not found', async () => {
    const commands = [
      { command: 'secretsync-test-no-such-moto-server', args: [] },
      { command: 'python3', args: ['-m', 'moto.server'] },
    ];
    const moto = await startMotoServer({ commands });
    try {
      expect((await fetch(`${moto.endpoint}/moto-api/data.json`)).status).toBe(200);
    } finally {
      await moto.close();
    }
  });
});

describe('start-up failures', () => {
  const missing = /moto is missing.*pip install "moto\[server\]"/s;

  it('says moto is missing when no command is on PATH', async () => {
    const emptyDir = mkdtempSync(join(tmpdir(), 'secretsync-no-moto-'));
    await expect(startMotoServer({ env: { PATH: emptyDir } })).rejects.toThrow(missing);
  });

  it('says moto is missing when python has no moto module', async () => {
    const commands = [
      { command: 'secretsync-test-no-such-moto-server', args: [] },
      { command: 'python3', args: ['-m', 'secretsync_test_no_such_module'] },
    ];
    await expect(startMotoServer({ commands })).rejects.toThrow(missing);
  });

  it('reports a busy fixed port with moto stderr, not as missing', async () => {
    const blocker = await listenOnFreePort();
    const { port } = blocker.address() as { port: number };
    try {
      const failure = startMotoServer({ port });
      await expect(failure).rejects.toThrow(/exited with code \d+ before answering/);
      await expect(failure).rejects.not.toThrow(/moto is missing/);
    } finally {
      blocker.close();
    }
  });

  it('times out with the last stderr lines when the server never answers', async () => {
    const silent = {
      command: process.execPath,
      // `--` hands the appended -H/-p flags to the script instead of to node.
      args: ['-e', 'console.error("still booting"); setInterval(() => {}, 1000)', '--'],
    };
    const failure = startMotoServer({ commands: [silent], readyTimeoutMs: 500 });
    await expect(failure).rejects.toThrow(/did not answer on .* within 0\.5 s.*still booting/s);
  });
});

async function listenOnFreePort(): Promise<Server> {
  const port = await findFreePort();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}
