/**
 * `node dist/dev/pushgateway-cli.js build|start`: builds the real Prometheus Pushgateway into
 * .cache/peers/bin (skipped when the cached binary is fresh), or builds and starts it on a free
 * loopback port, prints its URL (what `--pushgateway` takes) and keeps it up until Ctrl-C.
 */
import { startPushgateway } from './pushgateway.js';
import { ensurePushgatewayBinary } from './pushgateway-build.js';

const log = (line: string): void => {
  console.error(line);
};

async function main(command: string | undefined): Promise<void> {
  if (command === 'build') {
    console.log(await ensurePushgatewayBinary(undefined, log));
    return;
  }
  if (command !== 'start') throw new Error('usage: pushgateway-cli build|start');
  const gateway = await startPushgateway({ log });
  console.log(gateway.url);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.error(`Received ${signal}; stopping the Pushgateway…`);
  await gateway.close();
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(`pushgateway: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
