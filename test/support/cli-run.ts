import { runCliInDir } from './cli-in-dir.js';
import type { CliResult } from './cli-in-dir.js';

/** Runs the CLI in-process (counted in coverage) with captured streams, in the repository root. */
export function runCliCaptured(
  args: readonly string[],
  env: Record<string, string>,
): Promise<CliResult> {
  return runCliInDir(args, { env, cwd: process.cwd() });
}

/** The environment that points the CLI at the test peers (Vault and the AWS endpoint). */
export function peerEnv(
  vault: { readonly address: string; readonly rootToken: string },
  awsEndpoint: string,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    VAULT_ADDR: vault.address,
    VAULT_TOKEN: vault.rootToken,
    AWS_ENDPOINT_URL: awsEndpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    ...extra,
  };
}
