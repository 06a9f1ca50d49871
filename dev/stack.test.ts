import { execFileSync } from 'node:child_process';
import {
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { renderEnvExports, startDevStack } from './stack.js';
import type { DevStack } from './stack.js';
import { VAULT_PEER_KIND } from '../test/support/vault-peer.js';

const STACK_VAULT = VAULT_PEER_KIND === 'real' ? 'real' : 'local';

const kvRead = z.object({ data: z.object({ data: z.record(z.string(), z.unknown()) }) });

describe('startDevStack with seed', () => {
  let stack: DevStack;

  beforeAll(async () => {
    stack = await startDevStack({ seed: true, vault: STACK_VAULT });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('exports the variables that point clients at the stack', () => {
    expect(stack.env).toEqual({
      VAULT_ADDR: stack.vault.address,
      VAULT_TOKEN: stack.vault.token,
      AWS_ENDPOINT_URL: stack.aws.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      SANDBOX_OU_ID: stack.organization?.sandboxOuId,
    });
    expect(stack.aws.region).toBe('us-east-1');
  });

  it('serves the seeded Vault secrets with the exported token', async () => {
    const response = await fetch(`${stack.env.VAULT_ADDR}/v1/analytics/data/config/database`, {
      headers: { 'X-Vault-Token': stack.env.VAULT_TOKEN ?? '' },
    });
    expect(response.status).toBe(200);
    const { data } = kvRead.parse(await response.json()).data;
    expect(data).toEqual({
      host: 'b',
      port: 5433,
      ssl: true,
      tags: ['engineering', 'database', 'extra-tag'],
    });
  });

  it('serves the seeded organization through the exported endpoint', async () => {
    const client = new OrganizationsClient({
      endpoint: stack.env.AWS_ENDPOINT_URL ?? '',
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const { Organization } = await client.send(new DescribeOrganizationCommand({}));
    expect(Organization?.Id).toBe(stack.organization?.organizationId);
    const { Accounts } = await client.send(
      new ListAccountsForParentCommand({ ParentId: stack.organization?.sandboxOuId }),
    );
    expect(Accounts?.filter((a) => a.Status === 'SUSPENDED')).toHaveLength(1);
    client.destroy();
  });
});

describe('startDevStack without seed', () => {
  it('starts bare servers and closes both', async () => {
    const stack = await startDevStack({ vault: STACK_VAULT });
    expect(stack.organization).toBeUndefined();
    expect(stack.env.SANDBOX_OU_ID).toBeUndefined();
    const health = await fetch(`${stack.vault.address}/v1/sys/health`);
    expect(health.status).toBe(200);
    const moto = await fetch(`${stack.aws.endpoint}/moto-api/data.json`);
    expect(moto.status).toBe(200);

    await stack.close();

    await expect(fetch(`${stack.vault.address}/v1/sys/health`)).rejects.toThrow();
    await expect(fetch(`${stack.aws.endpoint}/moto-api/data.json`)).rejects.toThrow();
  });
});

describe('renderEnvExports', () => {
  it('quotes values so a POSIX shell reads them back exactly', () => {
    const env = { PLAIN: 'http://127.0.0.1:8200', TRICKY: `it's $HOME "quoted" \\ ;` };
    const script = `${renderEnvExports(env)}\nprintf '%s\\n' "$PLAIN" "$TRICKY"`;
    // Argument array, no shell option: sh is the program under test here, not a convenience.
    const output = execFileSync('sh', ['-c', script], { encoding: 'utf8' });
    expect(output).toBe(`${env.PLAIN}\n${env.TRICKY}\n`);
  });
});
