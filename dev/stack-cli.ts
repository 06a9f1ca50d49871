/**
 * `npm run dev:stack`: starts the seeded local stack, prints the shell exports that point the CLI at
 * it, and keeps it up until Ctrl-C (SIGINT) or SIGTERM.
 */
import { renderEnvExports, startDevStack } from './stack.js';
import type { DevStack } from './stack.js';
import { parseVaultFlag } from './vault-flag.js';

// The pinned AWS SDK supports Node.js 20; its notice about later releases is not for demo users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const NEXT_STEP = 'npx secretsync validate --config examples/secretsync.yaml';

async function main(): Promise<void> {
  const vault = parseVaultFlag(process.argv.slice(2));
  const which = vault === 'real' ? 'the real Vault 1.14.0 peer' : 'the Vault-compatible server';
  console.error(`Starting moto and ${which}, then seeding them…`);
  const log = (line: string): void => {
    console.error(line);
  };
  const stack = await startDevStack({ seed: true, vault, log });
  console.log(describe(stack));
  const signal = await nextStopSignal();
  console.error(`\nReceived ${signal}; stopping the stack…`);
  await stack.close();
  console.error('Stopped.');
}

function describe(stack: DevStack): string {
  const accounts = (stack.organization?.accounts ?? []).map(
    (account) => `#   ${account.id}  ${account.name}  ${account.status}`,
  );
  return [
    '# Paste these lines into your shell:',
    renderEnvExports(stack.env),
    '',
    `# Then run \`${NEXT_STEP}\` (and a dry-run sync) against this stack; Ctrl-C stops it.`,
    ...(accounts.length > 0 ? ['# Seeded Sandbox OU accounts:', ...accounts] : []),
  ].join('\n');
}

function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      // A second signal while closing exits at once; process.exit still runs the 'exit' hook
      // that SIGKILLs moto, which a default signal death would skip.
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

main().catch((error: unknown) => {
  console.error(`dev:stack failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
