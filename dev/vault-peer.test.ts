import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { VAULT_PEER_KIND } from '../test/support/vault-peer.js';
import { vaultPeerPaths } from './vault-peer-build.js';
import { startRealVault } from './vault-peer.js';
import type { RunningRealVault } from './vault-peer.js';

const paths = vaultPeerPaths();
const mounts = z.record(z.string(), z.object({ type: z.string() }).loose());

describe('startRealVault failures', () => {
  it('says so when the peer exits before printing its address', async () => {
    await expect(startRealVault({ binary: '/bin/false' })).rejects.toThrow(
      'the Vault peer exited before it printed its address',
    );
  });

  it('rejects when the binary cannot be run', async () => {
    await expect(startRealVault({ binary: '/nonexistent/vault-peer' })).rejects.toThrow(/ENOENT/);
  });
});

// Runs where the peer is known to be built: npm run test:real-vault (its globalSetup builds it).
describe.skipIf(VAULT_PEER_KIND !== 'real')(
  'the real Vault peer (runs in npm run test:real-vault)',
  () => {
    let vault: RunningRealVault;
    const get = async (path: string) => {
      const response = await fetch(`${vault.address}/v1/${path}`, {
        headers: { 'x-vault-token': vault.rootToken },
      });
      return { status: response.status, body: (await response.json()) as { data: unknown } };
    };
    beforeAll(async () => {
      vault = await startRealVault({ binary: paths.binary });
    });
    afterAll(async () => {
      await vault.close();
    });

    it('is Vault 1.14.0, unsealed, on loopback', async () => {
      expect(vault.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await get('sys/health');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ version: '1.14.0', sealed: false, initialized: true });
    });

    it('has KV v2 at secret/, KV v1 at kv1/, AppRole and Kubernetes auth', async () => {
      const secrets = mounts.parse((await get('sys/mounts')).body.data);
      expect(secrets['secret/']).toMatchObject({ type: 'kv', options: { version: '2' } });
      expect(secrets['kv1/']).toMatchObject({ type: 'kv', options: { version: '1' } });
      const auth = mounts.parse((await get('sys/auth')).body.data);
      expect(auth['approle/']?.type).toBe('approle');
      expect(auth['kubernetes/']?.type).toBe('kubernetes');
      const config = await get('auth/kubernetes/config');
      expect(config.body.data).toMatchObject({ kubernetes_host: vault.tokenReview.address });
    });

    it('stops, and then no longer answers', async () => {
      const other = await startRealVault({ binary: paths.binary });
      await other.close();
      await expect(fetch(`${other.address}/v1/sys/health`)).rejects.toThrow();
    });
  },
);
