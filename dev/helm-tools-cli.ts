/**
 * `node dist/dev/helm-tools-cli.js build`: builds helm and the manifest validator of the chart
 * checks into .cache/peers/bin (skipped when the cached binaries are fresh) and prints their paths.
 */
import { ensureHelmTools } from './helm-tools.js';

async function main(command: string | undefined): Promise<void> {
  if (command !== 'build') throw new Error('usage: helm-tools-cli build');
  const paths = await ensureHelmTools(undefined, (line) => {
    console.error(line);
  });
  console.log(`${paths.helm}\n${paths.manifestcheck}`);
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(`helm-tools: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
