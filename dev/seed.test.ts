import {
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startMotoServer } from './moto-server.js';
import type { RunningMotoServer } from './moto-server.js';
import { SEED_ACCOUNTS, VAULT_SEED_SECRETS } from './seed-data.js';
import { seedOrganization, seedVault } from './seed.js';
import type { SeededOrganization } from './seed.js';
import { VAULT_PEER_KIND } from '../test/support/vault-peer.js';
import { startRealVault } from './vault-peer.js';
import { startVaultServer } from './vault-server/server.js';
import type { RunningVaultServer } from './vault-server/server.js';

const kvRead = z.object({ data: z.object({ data: z.record(z.string(), z.unknown()) }) });

/** Reads a KV v2 secret back the way any Vault client would. */
async function readSecret(address: string, token: string, mount: string, path: string) {
  const response = await fetch(`${address}/v1/${mount}/data/${path}`, {
    headers: { 'X-Vault-Token': token },
  });
  expect(response.status, `${mount}/${path}`).toBe(200);
  return kvRead.parse(await response.json()).data.data;
}

describe('seedOrganization', () => {
  let moto: RunningMotoServer;
  let client: OrganizationsClient;
  let seeded: SeededOrganization;

  beforeAll(async () => {
    moto = await startMotoServer();
    client = new OrganizationsClient({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    seeded = await seedOrganization(moto.endpoint);
  });
  afterAll(async () => {
    client.destroy();
    await moto.close();
  });

  it('creates the organization it reports', async () => {
    const { Organization } = await client.send(new DescribeOrganizationCommand({}));
    expect(Organization?.Id).toBe(seeded.organizationId);
    expect(Organization?.FeatureSet).toBe('ALL');
    expect(seeded.managementAccountId).toBe('123456789012');
  });

  it('creates the Sandbox OU under the root', async () => {
    const reply = await client.send(
      new ListOrganizationalUnitsForParentCommand({ ParentId: seeded.rootId }),
    );
    const units = (reply.OrganizationalUnits ?? []).map((ou) => [ou.Name, ou.Id]);
    expect(units).toEqual([['Sandbox', seeded.sandboxOuId]]);
  });

  it('puts three accounts in the OU, one of them SUSPENDED', async () => {
    const reply = await client.send(
      new ListAccountsForParentCommand({ ParentId: seeded.sandboxOuId }),
    );
    const inOu = (reply.Accounts ?? []).map((a) => ({ id: a.Id, name: a.Name, status: a.Status }));
    const reported = seeded.accounts.map((a) => ({ id: a.id, name: a.name, status: a.status }));
    const byId = (a: { id?: string | undefined }, b: { id?: string | undefined }) =>
      (a.id ?? '').localeCompare(b.id ?? '');
    expect(inOu.sort(byId)).toEqual(reported.sort(byId));
    const statusByName = Object.fromEntries(inOu.map((a) => [a.name ?? '', a.status]));
    expect(statusByName).toEqual({
      'sandbox-alpha': 'ACTIVE',
      'sandbox-beta': 'SUSPENDED',
      'dev-gamma': 'ACTIVE',
    });
  });

  it('tags the accounts with their Environment', async () => {
    expect(seeded.accounts).toHaveLength(3);
    for (const account of seeded.accounts) {
      const { Tags } = await client.send(
        new ListTagsForResourceCommand({ ResourceId: account.id }),
      );
      const expected = SEED_ACCOUNTS.find((seed) => seed.name === account.name)?.tags;
      expect(Object.fromEntries((Tags ?? []).map((t) => [t.Key, t.Value]))).toEqual(expected);
    }
    const environments = SEED_ACCOUNTS.map((a) => a.tags.Environment).sort();
    expect(environments).toEqual(['dev', 'sandbox', 'sandbox']);
  });
});

describe('seedVault', () => {
  let vault: Pick<RunningVaultServer, 'address' | 'rootToken' | 'close'>;

  beforeAll(async () => {
    // No mounts at start: the seed must create every mount it writes to.
    if (VAULT_PEER_KIND !== 'real') {
      vault = await startVaultServer({ mounts: [] });
      return;
    }
    vault = await startRealVault();
    const removed = await fetch(`${vault.address}/v1/sys/mounts/secret`, {
      method: 'DELETE',
      headers: { 'X-Vault-Token': vault.rootToken },
    });
    expect(removed.status).toBe(204);
  });
  afterAll(async () => {
    await vault.close();
  });

  it('writes secrets that read back unchanged, and can run twice', async () => {
    const written = await seedVault(vault.address, vault.rootToken);
    await seedVault(vault.address, vault.rootToken);

    expect(written).toContain('secret/common/config/database');
    expect(written).toContain('analytics/config/database');
    for (const secret of VAULT_SEED_SECRETS) {
      const data = await readSecret(vault.address, vault.rootToken, secret.mount, secret.path);
      expect(data).toEqual(secret.data);
    }
  });

  it('enables the merged mount as KV v2', async () => {
    await seedVault(vault.address, vault.rootToken, []);
    const response = await fetch(`${vault.address}/v1/sys/mounts/merged`, {
      headers: { 'X-Vault-Token': vault.rootToken },
    });
    const body = z
      .object({ data: z.object({ type: z.string(), options: z.object({ version: z.string() }) }) })
      .parse(await response.json());
    expect(body.data.type).toBe('kv');
    expect(body.data.options.version).toBe('2');
  });

  it('fails loudly on a token Vault rejects', async () => {
    await expect(seedVault(vault.address, 'not-a-token')).rejects.toThrow(/HTTP 403/);
  });
});
