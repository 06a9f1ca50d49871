import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { control } from './http-test-client.js';
import { startVaultServer } from './server.js';
import type { RunningVaultServer } from './server.js';

const run = promisify(execFile);

/** A Python with Debian's python3-hvac, an independent Vault client that checks our shapes. */
function pythonWithHvac(): string | undefined {
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(python, ['-c', 'import hvac'], { stdio: 'ignore' });
      return python;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

const python = pythonWithHvac();
if (python === undefined) {
  process.stderr.write('hvac-peer.test.ts: skipped, python3-hvac is not installed\n');
}

/** Each step prints one JSON line; the test compares the lines. */
const SCRIPT = `
import json, sys, hvac
c = hvac.Client(url=sys.argv[1], token='root')
kv = c.secrets.kv.v2
out = lambda value: print(json.dumps(value))
out(kv.create_or_update_secret(path='a/b', secret={'x': 1})['data']['version'])
out(kv.read_secret_version(path='a/b')['data']['data'])
out(kv.list_secrets(path='a')['data']['keys'])
kv.delete_latest_version_of_secret(path='a/b')
try:
    kv.read_secret_version(path='a/b')
except hvac.exceptions.InvalidPath:
    out('deleted')
try:
    kv.create_or_update_secret(path='a/b', secret={'x': 2}, cas=0)
except hvac.exceptions.InvalidRequest as error:
    out(str(error).split(',')[0])
c.sys.enable_secrets_engine('kv', path='more', options={'version': '1'})
c.secrets.kv.v1.create_or_update_secret(path='p', secret={'q': 1}, mount_point='more')
out(c.secrets.kv.v1.read_secret(path='p', mount_point='more')['data'])
login = hvac.Client(url=sys.argv[1]).auth.approle.login(role_id='rid', secret_id='sid')
out(login['auth']['lease_duration'])
try:
    hvac.Client(url=sys.argv[1], token='bad').secrets.kv.v2.read_secret_version(path='a/b')
except hvac.exceptions.Forbidden:
    out('forbidden')
`;

describe.skipIf(python === undefined)('python3-hvac against the server', () => {
  let server: RunningVaultServer;

  beforeAll(async () => {
    server = await startVaultServer();
    await control(server, 'POST', 'approle/roles', {
      role_name: 'r',
      role_id: 'rid',
      secret_id: 'sid',
      ttl: 900,
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('reads, writes, lists, deletes, mounts and logs in the way hvac expects', async () => {
    // Async execFile: the server runs in this process and must keep answering meanwhile.
    const { stdout } = await run(python as string, ['-c', SCRIPT, server.address]);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([
      1,
      { x: 1 },
      ['b'],
      'deleted',
      'check-and-set parameter did not match the current version',
      { q: 1 },
      900,
      'forbidden',
    ]);
  });
});
