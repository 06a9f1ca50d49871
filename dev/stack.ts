import { startMotoServer } from './moto-server.js';
import type { RunningMotoServer } from './moto-server.js';
import { seedOrganization, seedVault } from './seed.js';
import type { SeededOrganization } from './seed.js';
import { startRealVault } from './vault-peer.js';
import { startVaultServer } from './vault-server/server.js';

/** Which Vault the stack runs: our in-memory server, or the real Vault 1.14.0 test peer. */
export type DevStackVault = 'local' | 'real';

/** What to start. */
export interface DevStackOptions {
  /** Write the example's Vault secrets and AWS organization; default false. */
  seed?: boolean;
  /** Default `local`; `real` builds (once, cached) and starts test/peers/vault. */
  vault?: DevStackVault;
  /** Progress lines while the real peer builds. */
  log?: (line: string) => void;
}

/** The part of a started Vault the stack uses. */
interface StackVault {
  readonly address: string;
  readonly rootToken: string;
  close(): Promise<void>;
}

/** A running local stack: the Vault-compatible server and moto, plus how to reach them. */
export interface DevStack {
  readonly vault: { readonly address: string; readonly token: string };
  readonly aws: { readonly endpoint: string; readonly region: 'us-east-1' };
  /** Variables that point the CLI (and any AWS SDK or Vault client) at this stack. */
  readonly env: Readonly<Record<string, string>>;
  /** Ids of the seeded organization; present only when seeded. */
  readonly organization?: SeededOrganization;
  /** Stops both servers; safe to call more than once. */
  close(): Promise<void>;
}

/** Starts moto and a Vault (ours or the real peer; free loopback ports), seeded on request. */
export async function startDevStack(options: DevStackOptions = {}): Promise<DevStack> {
  const vaultStart: Promise<StackVault> =
    options.vault === 'real'
      ? startRealVault(options.log === undefined ? {} : { log: options.log })
      : startVaultServer();
  const [moto, vault] = await Promise.allSettled([startMotoServer(), vaultStart]);
  const closeAll = closer([moto, vault]);
  if (moto.status === 'rejected' || vault.status === 'rejected') {
    await closeAll();
    throw moto.status === 'rejected' ? moto.reason : (vault as PromiseRejectedResult).reason;
  }
  try {
    const organization = options.seed === true ? await seed(vault.value, moto.value) : undefined;
    return describeStack(vault.value, moto.value, organization, closeAll);
  } catch (error) {
    await closeAll();
    throw error;
  }
}

async function seed(vault: StackVault, moto: RunningMotoServer) {
  await seedVault(vault.address, vault.rootToken);
  return seedOrganization(moto.endpoint);
}

function describeStack(
  vault: StackVault,
  moto: RunningMotoServer,
  organization: SeededOrganization | undefined,
  close: () => Promise<void>,
): DevStack {
  const env: Record<string, string> = {
    VAULT_ADDR: vault.address,
    VAULT_TOKEN: vault.rootToken,
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: 'us-east-1',
    // moto accepts any credentials; these only keep the SDK's credential chain from searching.
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  };
  // examples/secretsync.yaml reads the OU of its dynamic target from here.
  if (organization !== undefined) env.SANDBOX_OU_ID = organization.sandboxOuId;
  const stack = {
    vault: { address: vault.address, token: vault.rootToken },
    aws: { endpoint: moto.endpoint, region: 'us-east-1' as const },
    env,
    close,
  };
  return organization === undefined ? stack : { ...stack, organization };
}

function closer(
  started: readonly PromiseSettledResult<{ close(): Promise<void> }>[],
): () => Promise<void> {
  let closing: Promise<void> | undefined;
  const closeAll = async (): Promise<void> => {
    const running = started.flatMap((result) =>
      result.status === 'fulfilled' ? [result.value] : [],
    );
    const results = await Promise.allSettled(running.map((server) => server.close()));
    const failure = results.find((result) => result.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
  };
  return () => (closing ??= closeAll());
}

/** Renders `export NAME='value'` lines that a POSIX shell accepts for any value. */
export function renderEnvExports(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([name, value]) => `export ${name}='${value.replaceAll("'", `'\\''`)}'`)
    .join('\n');
}
