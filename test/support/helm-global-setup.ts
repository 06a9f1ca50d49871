import { ensureHelmTools } from '../../dev/helm-tools.js';

/**
 * vitest globalSetup of `npm run test:helm`: builds helm and manifestcheck once (cached in
 * .cache/peers/bin, with Go's own caches), so the chart tests run instead of skipping.
 */
export default async function setup(): Promise<void> {
  await ensureHelmTools(undefined, (line) => {
    process.stderr.write(`${line}\n`);
  });
}
