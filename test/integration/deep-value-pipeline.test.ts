import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/core/json.js';
import { MemoryMergeStore } from '../fakes/merge-store/memory-merge-store.js';
import { memoryAws } from '../support/memory-aws.js';
import { runOverFakes } from '../support/pipeline-over-fakes.js';
import { configFrom } from '../support/runtime.js';

// Issue 15: one secret nested ~2,300 levels deep fails alone, by name; the target goes on.

const STG = '111111111111';
const PROD = '222222222222';

const YAML = `
aws: {region: us-east-1, endpoint: 'http://aws.fake'}
sources:
  common: {vault: {mount: secret, path: common}}
  extra: {vault: {mount: secret, path: extra}}
merge_store: {vault: {mount: merged}}
targets:
  Staging: {account_id: '${STG}', imports: [common], secret_prefix: stg/}
  Production: {account_id: '${PROD}', imports: [Staging, extra], secret_prefix: prod/}
`;

function nested(levels: number, leaf: JsonObject): JsonObject {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

const SOURCES: Record<string, Record<string, JsonObject>> = {
  common: { db: { password: 'p1' }, deep: nested(2_300, { from: 'common' }) },
  // Production merges this over Staging's bundle: the deep entry goes through deepMerge.
  extra: { queue: { url: 'amqp://q' }, deep: nested(2_300, { from: 'extra' }) },
};

async function run() {
  const config = configFrom(YAML, { VAULT_ADDR: 'http://127.0.0.1:1' });
  const aws = memoryAws(config);
  const report = await runOverFakes(config, aws.target, new MemoryMergeStore(), SOURCES, {
    options: { runId: 'deep', continueOnError: true },
  });
  return { aws, report };
}

describe('a secret nested 2,300 levels deep, through the pipeline', () => {
  it('fails that secret with its name and the limit; the other secrets sync', async () => {
    const { aws, report } = await run();
    for (const [name, prefix, account, others] of [
      ['Staging', 'stg/', STG, ['db']],
      ['Production', 'prod/', PROD, ['db', 'queue']],
    ] as const) {
      const target = report.targets.find((t) => t.name === name);
      expect(target?.merge?.status).toBe('ok');
      const sync = target?.sync;
      if (sync === undefined || sync.status === 'skipped')
        throw new TypeError(`${name} not synced`);
      expect(sync.failures).toEqual([
        {
          name: `${prefix}deep`,
          path: 'deep',
          reason:
            'value nests more than 64 levels deep; SecretSync syncs values up to 64 levels: flatten the secret in Vault',
        },
      ]);
      for (const other of others) {
        const value = await aws
          .clientIn(account)
          .send(new GetSecretValueCommand({ SecretId: `${prefix}${other}` }));
        expect(JSON.parse(value.SecretString ?? '')).toEqual(
          SOURCES[other === 'queue' ? 'extra' : 'common']?.[other],
        );
      }
    }
  });
});
