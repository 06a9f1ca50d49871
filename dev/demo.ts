/**
 * `npm run demo`: the main job on an embedded local setup. Starts the seeded dev stack (Vault-
 * compatible server + moto), runs `secretsync pipeline` on examples/secretsync.yaml three times —
 * a dry run with the diff, the real run, and a second run that finds nothing to change — then shows
 * what landed in each emulated account (names only) and stops everything.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { defaultTargetName } from '../src/plan/account-naming.js';
import { colourWanted, painter } from '../src/output/colour.js';
import { findFreePort } from './moto-server.js';
import { renderEnvExports, startDevStack } from './stack.js';
import type { DevStack } from './stack.js';
import { parseVaultFlag } from './vault-flag.js';

// The pinned AWS SDK supports Node.js 20; its notice about later releases is not for demo users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const CLI = fileURLToPath(new URL('../src/main.js', import.meta.url));
const CONFIG = 'examples/secretsync.yaml';
const ACCOUNTS: Record<string, string> = {
  Staging: '111111111111',
  Analytics: '333333333333',
  Production: '222222222222',
  Demo: '444444444444',
};

// Colour on a terminal only (NO_COLOR / FORCE_COLOR honoured), never escapes into a pipe; the
// CLI's stdout is our pipe, so it is told what our own stdout decided.
const colour = colourWanted(process.env, process.stdout.isTTY);
const paint = painter(colour);

function step(title: string): void {
  console.log(`\n${paint('bold', `== ${title}`)}`);
}

/** Runs the built CLI with an argument array (never a shell) and shows its output. */
function secretsync(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<number> {
  console.log(`$ secretsync ${args.join(' ')}`);
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, ...env, ...(colour ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' }) } },
      (error) => {
        resolve(error === null ? 0 : typeof error.code === 'number' ? error.code : 1);
      },
    );
    child.stdout?.pipe(process.stdout);
    child.stderr?.pipe(process.stderr);
  });
}

async function secretNames(stack: DevStack, accountId: string): Promise<string[]> {
  const base = {
    accessKeyId: stack.env.AWS_ACCESS_KEY_ID ?? 'test',
    secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY ?? 'test',
  };
  const sts = new STSClient({
    endpoint: stack.aws.endpoint,
    region: stack.aws.region,
    credentials: base,
  });
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
      RoleSessionName: 'demo',
    }),
  );
  const client = new SecretsManagerClient({
    endpoint: stack.aws.endpoint,
    region: stack.aws.region,
    credentials: {
      accessKeyId: c?.AccessKeyId ?? '',
      secretAccessKey: c?.SecretAccessKey ?? '',
      sessionToken: c?.SessionToken ?? '',
    },
  });
  const page = await client.send(new ListSecretsCommand({ MaxResults: 100 }));
  return (page.SecretList ?? []).map((secret) => secret.Name ?? '').sort();
}

async function main(): Promise<void> {
  const vault = parseVaultFlag(process.argv.slice(2));
  const which = vault === 'real' ? 'a real Vault 1.14.0' : 'the local Vault-compatible server';
  step(`Starting ${which} and the moto AWS emulator, seeded with example data`);
  const stack = await startDevStack({
    seed: true,
    vault,
    log: (line) => {
      console.log(line);
    },
  });
  const env = { ...stack.env, SECRETSYNC_LOG_LEVEL: 'warn' };
  let failed = false;
  try {
    step('1. Dry run: what would change (key names only, never values); nothing is written');
    await secretsync(['pipeline', '--config', CONFIG, '--discover', '--dry-run', '--diff'], env);
    step('2. The real run, with Prometheus metrics served during the run');
    const port = await findFreePort();
    failed =
      (await secretsync(
        ['pipeline', '--config', CONFIG, '--discover', '--metrics-port', String(port)],
        env,
      )) !== 0;
    step(
      '3. A second run: everything is already in step (exit code 0 with --exit-code means "no changes")',
    );
    const code = await secretsync(
      ['pipeline', '--config', CONFIG, '--discover', '--exit-code', '--output', 'compact'],
      env,
    );
    console.log(`exit code: ${code}`);
    step('What landed in each emulated account (names only)');
    for (const account of stack.organization?.accounts ?? []) {
      if (account.status === 'ACTIVE' && account.tags.Environment === 'sandbox')
        ACCOUNTS[`${defaultTargetName(account)} (discovered from ${account.name})`] = account.id;
    }
    for (const [target, accountId] of Object.entries(ACCOUNTS)) {
      console.log(
        `${target} (account ${accountId}): ${(await secretNames(stack, accountId)).join(', ')}`,
      );
    }
    step('Where to look next');
    console.log(`- The graph: secretsync graph --config ${CONFIG} --format mermaid`);
    console.log(
      `- Metrics: add --metrics-port 9464 to a pipeline run and open http://127.0.0.1:9464/metrics while it runs`,
    );
    console.log(
      '- Keep a stack running to explore by hand: npm run dev:stack, then paste its export lines. This one used:',
    );
    console.log(renderEnvExports(stack.env));
  } finally {
    await stack.close();
  }
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
