import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreateOrganizationalUnitCommand,
  DescribeAccountCommand,
  DescribeCreateAccountStatusCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { CreateAccountStatus } from '@aws-sdk/client-organizations';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import {
  SANDBOX_OU_NAME,
  SEED_ACCOUNTS,
  VAULT_SEED_MOUNTS,
  VAULT_SEED_SECRETS,
} from './seed-data.js';
import type { SeedAccount, VaultSeedSecret } from './seed-data.js';
import { waitForKvV2 } from './vault-peer-setup.js';

/** A member account the organization seed created. */
export interface SeededAccount {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly tags: Readonly<Record<string, string>>;
  /** As DescribeAccount reports it after seeding: `ACTIVE` or `SUSPENDED` on moto. */
  readonly status: string;
}

/** Ids of everything the organization seed created. */
export interface SeededOrganization {
  readonly organizationId: string;
  readonly managementAccountId: string;
  readonly rootId: string;
  readonly sandboxOuId: string;
  readonly accounts: readonly SeededAccount[];
}

const vaultErrors = z.object({ errors: z.array(z.string()) });
const ACCOUNT_POLL_MS = 1_000;
const ACCOUNT_POLL_LIMIT = 120;

/** Enables the KV v2 mounts and writes the seed secrets through the ordinary Vault HTTP API. */
export async function seedVault(
  address: string,
  token: string,
  secrets: readonly VaultSeedSecret[] = VAULT_SEED_SECRETS,
): Promise<readonly string[]> {
  for (const mount of VAULT_SEED_MOUNTS) await enableKvV2Mount(address, token, mount);
  for (const secret of secrets) await writeKvV2Secret(address, token, secret);
  return secrets.map((secret) => `${secret.mount}/${secret.path}`);
}

/** Enables a KV v2 engine at `mount`; a mount that is already there counts as done. */
export async function enableKvV2Mount(
  address: string,
  token: string,
  mount: string,
): Promise<void> {
  const body = { type: 'kv', options: { version: '2' } };
  const reply = await callVault(address, token, `sys/mounts/${mount}`, body);
  if (reply.ok) {
    // A real Vault's new KV v2 mount refuses requests for a moment while it sets itself up.
    await waitForKvV2(address, token, mount);
    return;
  }
  // Re-running the seed, or a mount Vault made itself (dev mode's `secret/`), is not a failure.
  if (reply.status === 400 && reply.errors.some((e) => e.includes('path is already in use'))) {
    return;
  }
  throw vaultFailure(`enable KV v2 mount ${mount}`, reply);
}

/** Writes one secret as a new KV v2 version (`POST /v1/<mount>/data/<path>`). */
export async function writeKvV2Secret(
  address: string,
  token: string,
  secret: VaultSeedSecret,
): Promise<void> {
  const reply = await callVault(address, token, `${secret.mount}/data/${secret.path}`, {
    data: secret.data,
  });
  if (!reply.ok) throw vaultFailure(`write ${secret.mount}/${secret.path}`, reply);
}

interface VaultReply {
  readonly ok: boolean;
  readonly status: number;
  readonly errors: readonly string[];
}

async function callVault(
  address: string,
  token: string,
  path: string,
  body: unknown,
): Promise<VaultReply> {
  const response = await fetch(`${address.replace(/\/+$/, '')}/v1/${path}`, {
    method: 'POST',
    headers: { 'X-Vault-Token': token, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  const parsed = vaultErrors.safeParse(parseJson(text));
  const errors = parsed.success ? parsed.data.errors : text === '' ? [] : [text.slice(0, 200)];
  return { ok: response.ok, status: response.status, errors };
}

function vaultFailure(action: string, reply: VaultReply): Error {
  return new Error(
    `Vault seed could not ${action}: HTTP ${reply.status} ${reply.errors.join('; ')}`,
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Creates the organization, the Sandbox OU and its member accounts (one closed) in moto or AWS. */
export async function seedOrganization(
  endpoint: string,
  accounts: readonly SeedAccount[] = SEED_ACCOUNTS,
): Promise<SeededOrganization> {
  const client = new OrganizationsClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    const { Organization } = await client.send(
      new CreateOrganizationCommand({ FeatureSet: 'ALL' }),
    );
    const rootId = await findRootId(client);
    const ou = await client.send(
      new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: SANDBOX_OU_NAME }),
    );
    const sandboxOuId = present(ou.OrganizationalUnit?.Id, 'CreateOrganizationalUnit Id');
    const created: SeededAccount[] = [];
    // One at a time, so account order (and thus demo output) is stable.
    for (const account of accounts) {
      created.push(await createMemberAccount(client, account, rootId, sandboxOuId));
    }
    return {
      organizationId: present(Organization?.Id, 'CreateOrganization Id'),
      managementAccountId: present(Organization?.MasterAccountId, 'CreateOrganization master'),
      rootId,
      sandboxOuId,
      accounts: created,
    };
  } finally {
    client.destroy();
  }
}

async function findRootId(client: OrganizationsClient): Promise<string> {
  const { Roots } = await client.send(new ListRootsCommand({}));
  return present(Roots?.[0]?.Id, 'ListRoots Id');
}

async function createMemberAccount(
  client: OrganizationsClient,
  account: SeedAccount,
  rootId: string,
  ouId: string,
): Promise<SeededAccount> {
  const tags = Object.entries(account.tags).map(([Key, Value]) => ({ Key, Value }));
  const { CreateAccountStatus: status } = await client.send(
    new CreateAccountCommand({ AccountName: account.name, Email: account.email, Tags: tags }),
  );
  const id = await awaitAccountId(client, status);
  await client.send(
    new MoveAccountCommand({ AccountId: id, SourceParentId: rootId, DestinationParentId: ouId }),
  );
  if (account.close) await client.send(new CloseAccountCommand({ AccountId: id }));
  const described = await client.send(new DescribeAccountCommand({ AccountId: id }));
  const { name, email, tags: accountTags } = account;
  return { id, name, email, tags: accountTags, status: described.Account?.Status ?? 'UNKNOWN' };
}

/** moto creates accounts synchronously; real AWS reports IN_PROGRESS first, so poll. */
async function awaitAccountId(
  client: OrganizationsClient,
  initial: CreateAccountStatus | undefined,
): Promise<string> {
  let status = initial;
  for (let poll = 0; status?.State === 'IN_PROGRESS' && poll < ACCOUNT_POLL_LIMIT; poll++) {
    await delay(ACCOUNT_POLL_MS);
    const reply = await client.send(
      new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: status.Id }),
    );
    status = reply.CreateAccountStatus;
  }
  if (status?.State !== 'SUCCEEDED') {
    const reason = status?.FailureReason ?? status?.State ?? 'no status';
    throw new Error(`CreateAccount did not succeed: ${reason}`);
  }
  return present(status.AccountId, 'CreateAccount AccountId');
}

function present(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new Error(`Organizations seed: missing ${what}`);
  return value;
}
