import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../test/support/cli-run.js';
import { parseConfig } from '../config/load.js';

const dir = 'test/fixtures/migrate';
const env = { VAULT_ADDR: 'https://vault.example.com:8200' };

describe('secretsync migrate', () => {
  it('converts map forms into a config that validates, with account ids filled in', async () => {
    const result = await runCliCaptured(
      [
        'migrate',
        '--targets',
        `${dir}/targets-map.yaml`,
        '--secrets',
        `${dir}/secrets-map.yaml`,
        '--accounts',
        `${dir}/accounts-map.yaml`,
      ],
      env,
    );
    expect(result.code).toBe(0);
    const { config } = parseConfig(result.stdout, 'migrated.yaml', env);
    expect([...config.sources.values()].map((s) => (s.kind === 'vault' ? s.mount : ''))).toEqual([
      'analytics',
      'secret/common',
    ]);
    expect(config.targets.get('Prod')).toMatchObject({
      accountId: '222222222222',
      imports: ['Stg', 'analytics'],
      secretPrefix: 'prod/',
    });
    // An unquoted id with a leading zero keeps its 12 digits.
    expect(config.targets.get('Demo')?.accountId).toBe('044444444444');
    expect(config.mergeStore).toEqual({ kind: 'vault', mount: 'merged' });
  });

  it('converts list forms too, warning about targets without an account', async () => {
    const result = await runCliCaptured(
      [
        'migrate',
        '--targets',
        `${dir}/targets-list.json`,
        '--secrets',
        `${dir}/secrets-list.yaml`,
        '--accounts',
        `${dir}/accounts-list.yaml`,
        '--merge-mount',
        'bundles',
      ],
      env,
    );
    expect(result.code).toBe(0);
    const { config } = parseConfig(result.stdout, 'migrated.yaml', env);
    expect(config.targets.get('Stg')?.accountId).toBe('111111111111');
    expect(config.sources.get('common')).toMatchObject({ mount: 'secret/common' });
    expect(config.mergeStore).toEqual({ kind: 'vault', mount: 'bundles' });
  });

  it('reports bad inputs with the file they came from, and an unknown import as a config problem', async () => {
    const bad = await runCliCaptured(
      ['migrate', '--targets', `${dir}/secrets-list.yaml`, '--secrets', `${dir}/secrets-map.yaml`],
      env,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${dir}/secrets-list.yaml:`);
    const missing = await runCliCaptured(
      ['migrate', '--targets', `${dir}/targets-map.yaml`, '--secrets', `${dir}/nope.yaml`],
      env,
    );
    expect(missing.stderr).toContain(`${dir}/nope.yaml: (root): cannot be read as YAML or JSON`);
    const unresolved = await runCliCaptured(
      ['migrate', '--targets', `${dir}/targets-map.yaml`, '--secrets', `${dir}/secrets-list.yaml`],
      env,
    );
    // Without accounts, every target writes into the caller's account: refused like `validate` would.
    expect(unresolved.code).toBe(1);
    expect(unresolved.stderr).toContain(
      `targets "Demo" and "Prod" both write to the caller's account in us-east-1 with overlapping secret prefixes "" and "prod/"`,
    );
  });
});
