import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreateOrganizationalUnitCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AwsAccountDirectory } from '../../src/clients/aws/account-directory.js';
import { AwsClientFactory } from '../../src/clients/aws/client-factory.js';
import type { Config, DynamicTarget } from '../../src/config/types.js';
import { configFrom, testRuntime } from './runtime.js';

/** Test credentials the SDK clients of the setup code use. */
export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** A config with the given `dynamic_targets` (and optional `targets` / `aws`) YAML blocks. */
export function discoveryConfig(blocks: {
  dynamic: string;
  targets?: string;
  aws?: string;
}): Config {
  return configFrom(
    `
aws: {region: us-east-1${blocks.aws === undefined ? '' : `, ${blocks.aws}`}}
sources: {common: {vault: {mount: secret}}}
merge_store: {vault: {mount: merged}}
targets:
  Staging: {account_id: '111111111111', imports: [common]}
  Production: {account_id: '222222222222', imports: [Staging]}
${blocks.targets ?? ''}
dynamic_targets:
${blocks.dynamic}
`,
    { VAULT_ADDR: 'http://127.0.0.1:1' },
  );
}

/** The real directory over the real factory and call wrapper, as the CLI builds them. */
export function directoryFor(config: Config, env: Record<string, string>, concurrency?: number) {
  const runtime = testRuntime(config);
  const factory = new AwsClientFactory(
    config.aws,
    { call: runtime.call, metrics: runtime.metrics },
    env,
  );
  const directory = new AwsAccountDirectory(factory, config.aws, runtime.logger, concurrency);
  return { runtime, factory, directory };
}

/** The dynamic target of that name (the test's config defines it). */
export function dynamicOf(config: Config, name: string): DynamicTarget {
  const dynamic = config.dynamicTargets.get(name);
  if (dynamic === undefined) throw new Error(`test config has no dynamic target ${name}`);
  return dynamic;
}

/** One account to create in the test organization. */
export interface OrgAccount {
  readonly name: string;
  /** Path of OU names below the root, e.g. `Sandbox/Team`; empty for the root. */
  readonly ou: string;
  readonly tags?: Record<string, string>;
  readonly close?: boolean;
}

/** What {@link buildOrganization} created. */
export interface BuiltOrganization {
  readonly rootId: string;
  /** OU path → OU id. */
  readonly ous: ReadonlyMap<string, string>;
  /** Account name → id. */
  readonly ids: ReadonlyMap<string, string>;
}

/** Creates an organization with nested OUs and accounts (moto: synchronous CreateAccount). */
export async function buildOrganization(
  endpoint: string,
  accounts: readonly OrgAccount[],
): Promise<BuiltOrganization> {
  const client = new OrganizationsClient({
    endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
  });
  try {
    await client.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const rootId = (await client.send(new ListRootsCommand({}))).Roots?.[0]?.Id ?? '';
    const ous = new Map<string, string>([['', rootId]]);
    const ouFor = async (path: string): Promise<string> => {
      const known = ous.get(path);
      if (known !== undefined) return known;
      const parentPath = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
      const parent = await ouFor(parentPath);
      const created = await client.send(
        new CreateOrganizationalUnitCommand({ ParentId: parent, Name: path.split('/').at(-1) }),
      );
      const id = created.OrganizationalUnit?.Id ?? '';
      ous.set(path, id);
      return id;
    };
    const ids = new Map<string, string>();
    for (const account of accounts) {
      const created = await client.send(
        new CreateAccountCommand({
          AccountName: account.name,
          Email: `${account.name.replace(/\W/g, '')}@example.com`,
          Tags: Object.entries(account.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
      const id = created.CreateAccountStatus?.AccountId ?? '';
      ids.set(account.name, id);
      const ou = await ouFor(account.ou);
      if (ou !== rootId)
        await client.send(
          new MoveAccountCommand({
            AccountId: id,
            SourceParentId: rootId,
            DestinationParentId: ou,
          }),
        );
      if (account.close === true) await client.send(new CloseAccountCommand({ AccountId: id }));
    }
    return { rootId, ous, ids };
  } finally {
    client.destroy();
  }
}
