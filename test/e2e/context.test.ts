import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import { runCliCaptured } from '../support/cli-run.js';
import { startVaultPeer } from '../support/vault-peer.js';
import type { VaultPeer } from '../support/vault-peer.js';

let aws: AwsPeer;
let vault: VaultPeer;
beforeAll(async () => {
  [aws, vault] = await Promise.all([startAwsPeer(), startVaultPeer()]);
  await vault.policy('reader', [{ path: 'secret/*', capabilities: ['read', 'list'] }]);
  await vault.approleRole({
    name: 'context',
    roleId: 'context-role',
    secretId: 'context-secret',
    policies: ['reader'],
    ttl: '1h',
  });
});
afterAll(async () => {
  await Promise.all([aws.close(), vault.close()]);
});

const baseEnv = () => ({
  VAULT_ADDR: 'http://127.0.0.1:1',
  VAULT_TOKEN: 'x',
  AWS_ENDPOINT_URL: aws.endpoint,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
});

describe('secretsync validate --check-aws', () => {
  it('checks the credentials and every target role after the summary', async () => {
    const result = await runCliCaptured(
      ['validate', '-c', 'examples/secretsync.yaml', '--check-aws'],
      baseEnv(),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('is valid.');
    expect(result.stdout).toContain('AWS check:\nCaller: arn:aws:sts::123456789012:user/moto');
    expect(result.stdout).toContain(
      'Staging: account 111111111111, role arn:aws:iam::111111111111:role/OrganizationAccountAccessRole (from default_role_name) — ok',
    );
  });

  it('fails with the reason when the credentials cannot be checked', async () => {
    const result = await runCliCaptured(
      ['validate', '-c', 'examples/secretsync.yaml', '--check-aws', '--exit-code'],
      { ...baseEnv(), AWS_ENDPOINT_URL: 'http://127.0.0.1:1' },
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(
      /AWS check:\nthe AWS credentials do not work: \[req=[0-9a-f-]+\] failed to get caller identity at path "caller" after \d+ms \(retries: 2\)/,
    );
  });
});

describe('secretsync context', () => {
  it('shows how it logged in to Vault, the caller, and the role each target would use', async () => {
    const env = {
      VAULT_ADDR: vault.address,
      VAULT_ROLE_ID: 'context-role',
      VAULT_SECRET_ID: 'context-secret',
      AWS_ENDPOINT_URL: aws.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
    };
    const result = await runCliCaptured(
      ['context', '-c', 'examples/secretsync.yaml', '--check', '--log-level', 'error'],
      env,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `Vault: ${vault.address}, logged in with AppRole at auth/approle (policies: default, reader; token TTL 3600 s)`,
    );
    expect(result.stdout).toContain(
      'Caller: arn:aws:sts::123456789012:user/moto (account 123456789012)',
    );
    expect(result.stdout).toContain(
      'Demo: account 444444444444, role arn:aws:iam::444444444444:role/OrganizationAccountAccessRole (from default_role_name) — ok',
    );
  });

  it('fails, saying why, when the Vault login is refused', async () => {
    const result = await runCliCaptured(
      ['context', '-c', 'examples/secretsync.yaml', '--log-level', 'error'],
      {
        ...baseEnv(),
        VAULT_ADDR: vault.address,
        VAULT_TOKEN: '',
        VAULT_ROLE_ID: 'context-role',
        VAULT_SECRET_ID: 'wrong-secret',
      },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `Vault: ${vault.address}, AppRole login FAILED: Vault AppRole login at auth/approle/login failed`,
    );
    expect(result.stdout).not.toContain('wrong-secret');
    expect(result.stdout).toContain('Caller: arn:aws:sts::123456789012:user/moto');
  });
});
