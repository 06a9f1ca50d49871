import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperationError } from '../../src/context/operation-error.js';
import { discoverTargets } from '../../src/pipeline/discover-targets.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import {
  buildOrganization,
  directoryFor,
  discoveryConfig,
  dynamicOf,
} from '../support/discovery.js';
import type { BuiltOrganization, OrgAccount } from '../support/discovery.js';
import { counterValue } from '../support/runtime.js';

/*
 * Organizations discovery against moto: a fresh moto per file, because moto's reset does not
 * clear the organization member map (test-peers.md B.5).
 */

const BULK = 25; // moto pages ListAccountsForParent at 20
const ACCOUNTS: OrgAccount[] = [
  {
    name: 'Analytics Sandbox',
    ou: 'Sandbox',
    tags: { Environment: 'Sandbox', Team: 'platform-core' },
  },
  { name: 'Dev Box', ou: 'Sandbox', tags: { Environment: 'sandbox', Team: 'data' } },
  { name: 'Dev-Box', ou: 'Sandbox', tags: { Environment: 'sandbox', Team: 'platform-edge' } },
  { name: 'sandbox-beta', ou: 'Sandbox', tags: { Environment: 'sandbox' }, close: true },
  { name: 'team-one', ou: 'Sandbox/Team', tags: { Environment: 'dev', CostCenter: 'cc-42' } },
  { name: 'deep-one', ou: 'Sandbox/Team/Deep', tags: { Environment: 'prod' } },
  { name: 'prod-analytics', ou: 'Workloads', tags: { Environment: 'production' } },
  ...Array.from({ length: BULK }, (_, i) => ({
    name: `bulk-${String(i).padStart(2, '0')}`,
    ou: 'Bulk',
  })),
];

let peer: AwsPeer;
let org: BuiltOrganization;
let env: Record<string, string>;
beforeAll(async () => {
  peer = await startAwsPeer();
  env = { AWS_ENDPOINT_URL: peer.endpoint };
  org = await buildOrganization(peer.endpoint, ACCOUNTS);
}, 60_000);
afterAll(async () => {
  await peer.close();
});

const ou = (path: string) => org.ous.get(path) ?? '';
const id = (name: string) => org.ids.get(name) ?? '';

/** Discovers one dynamic target `D` whose organizations block is given as YAML flow text. */
async function discover(organizations: string, aws?: string) {
  const config = discoveryConfig({
    dynamic: `  D: {discovery: {organizations: ${organizations}}, imports: [Staging]}`,
    ...(aws === undefined ? {} : { aws }),
  });
  const { directory, runtime } = directoryFor(config, env);
  const accounts = await directory.discover(dynamicOf(config, 'D'));
  const names = accounts.map((a) => a.name).sort();
  return { accounts, names, runtime, directory, config };
}

describe('Organizations discovery', () => {
  it('lists the accounts directly in an OU, leaving out suspended ones', async () => {
    const { names, accounts } = await discover(`{ou: '${ou('Sandbox')}'}`);
    expect(names).toEqual(['Analytics Sandbox', 'Dev Box', 'Dev-Box']);
    expect(accounts.every((a) => a.status === 'ACTIVE')).toBe(true);
  });

  it('walks nested OUs with recursive', async () => {
    const { names } = await discover(`{ou: '${ou('Sandbox')}', recursive: true}`);
    expect(names).toEqual(['Analytics Sandbox', 'Dev Box', 'Dev-Box', 'deep-one', 'team-one']);
  });

  it('includes suspended accounts when exclude_statuses leaves SUSPENDED out', async () => {
    for (const statuses of ['[]', '[PENDING_CLOSURE]']) {
      const { accounts } = await discover(
        `{ou: '${ou('Sandbox')}', exclude_statuses: ${statuses}}`,
      );
      expect(accounts.find((a) => a.name === 'sandbox-beta')?.status).toBe('SUSPENDED');
    }
  });

  it('follows ListAccountsForParent pages: all 25 accounts of a big OU', async () => {
    const { accounts, runtime } = await discover(`{ous: ['${ou('Bulk')}', '${ou('Workloads')}']}`);
    expect(accounts).toHaveLength(BULK + 1);
    expect(accounts.map((a) => a.id)).toEqual([...accounts.map((a) => a.id)].sort());
    expect(
      await counterValue(runtime.metrics, 'secretsync_aws_pagination_calls_total', {
        operation: 'aws.list_accounts_for_parent',
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('takes the whole organization without an OU, by ListAccounts or from root_id', async () => {
    const live = ACCOUNTS.filter((a) => a.close !== true).length + 1; // + the management account
    const listed = await discover('{}');
    expect(listed.accounts).toHaveLength(live);
    expect(listed.names).toContain('master');
    const walked = await discover('{}', `organizations: {root_id: '${org.rootId}'}`);
    expect(walked.accounts).toEqual(listed.accounts);
    expect(
      await counterValue(walked.runtime.metrics, 'secretsync_aws_requests_total', {
        operation: 'aws.list_accounts',
      }),
    ).toBe(0);
  });

  it('fails with the OU in the message when an OU does not exist', async () => {
    const failure = discover(`{ou: 'ou-zzzz-00000000'}`);
    await expect(failure).rejects.toBeInstanceOf(OperationError);
    await expect(failure).rejects.toThrow(/list accounts at path "ou-zzzz-00000000"/);
  });
});

describe('Organizations tag filters', () => {
  const sandboxTree = () => `ou: '${ou('Sandbox')}', recursive: true`;

  it('equals with a scalar value, compared case-insensitively', async () => {
    const { names } = await discover(`{${sandboxTree()}, tags: {Environment: sandbox}}`);
    expect(names).toEqual(['Analytics Sandbox', 'Dev Box', 'Dev-Box']);
  });

  it('ORs the values of a list', async () => {
    const { names } = await discover(`{${sandboxTree()}, tags: {Environment: [dev, PROD]}}`);
    expect(names).toEqual(['deep-one', 'team-one']);
  });

  it('contains and wildcard operators', async () => {
    const contains = await discover(
      `{${sandboxTree()}, tags: {Team: {operator: contains, values: PLATFORM}}}`,
    );
    expect(contains.names).toEqual(['Analytics Sandbox', 'Dev-Box']);
    const wildcard = await discover(
      `{${sandboxTree()}, tags: {Team: {operator: wildcard, values: ['platform-c?re', 'd*']}}}`,
    );
    expect(wildcard.names).toEqual(['Analytics Sandbox', 'Dev Box']);
  });

  it('ANDs across keys', async () => {
    const { names } = await discover(
      `{${sandboxTree()}, tags: {Environment: sandbox, Team: {operator: wildcard, values: 'platform-*'}}}`,
    );
    expect(names).toEqual(['Analytics Sandbox', 'Dev-Box']);
  });

  it('reads tags once per live account, and not at all without tag filters', async () => {
    const filtered = await discover(`{${sandboxTree()}, tags: {Environment: sandbox}}`);
    const reads = (r: typeof filtered) =>
      counterValue(r.runtime.metrics, 'secretsync_aws_requests_total', {
        operation: 'aws.list_tags',
      });
    expect(await reads(filtered)).toBe(5);
    expect(Object.keys(filtered.accounts[0]?.tags ?? {})).toContain('Environment');
    expect(await reads(await discover(`{${sandboxTree()}}`))).toBe(0);
  });
});

describe('expansion of discovered accounts', () => {
  it('names, collides, excludes and maps patterns into static targets', async () => {
    const config = discoveryConfig({
      dynamic: `
  Sandboxes:
    discovery: {organizations: {ou: '${ou('Sandbox')}', recursive: true}}
    imports: [Staging]
    exclude: ['${id('deep-one')}']
    secret_prefix: sandbox/
    role_arn: 'arn:aws:iam::{{.AccountID}}:role/SecretSync'
    account_name_patterns: [{pattern: '^analytics', target: Production}]
    name_matching: {strategy: fuzzy}`,
    });
    const { directory, runtime } = directoryFor(config, env);
    const set = await discoverTargets(config, directory);
    const last6 = (name: string) => id(name).slice(-6);
    expect(set.discovered.map((t) => [t.name, t.accountId, t.imports])).toEqual(
      [
        ['Analytics_Sandbox', id('Analytics Sandbox'), ['Production']],
        [`Dev_Box_${last6('Dev Box')}`, id('Dev Box'), ['Staging']],
        [`Dev_Box_${last6('Dev-Box')}`, id('Dev-Box'), ['Staging']],
        ['team_one', id('team-one'), ['Staging']],
      ].sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)),
    );
    expect(set.discovered[0]?.roleArn).toBe(
      `arn:aws:iam::${id('Analytics Sandbox')}:role/SecretSync`,
    );
    expect([...set.targets.keys()]).toEqual(
      [...set.discovered.map((t) => t.name), 'Production', 'Staging'].sort(),
    );
    expect(set.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^2 discovered accounts are named "Dev_Box"/),
    ]);
    const before = await counterValue(runtime.metrics, 'secretsync_aws_requests_total');
    await discoverTargets(config, directory);
    expect(await counterValue(runtime.metrics, 'secretsync_aws_requests_total')).toBe(before);
  });
});
