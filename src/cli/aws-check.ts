import type { Config, Target } from '../config/types.js';
import { withRun } from '../context/request-context.js';
import { createMetrics } from '../observability/metrics.js';
import { createApp } from './app.js';
import type { App } from './app.js';
import { describeTargetAccess, formatTargetAccess } from './aws-access.js';
import type { CliIo } from './io.js';
import { commandLogger } from './runtime-options.js';
import type { LogFlags } from './runtime-options.js';
import { formatVaultFailure, formatVaultLogin, usesVault } from './vault-login-report.js';

/** How `reportAwsAccess` runs. */
export interface AwsAccessOptions {
  /** Assume every role once and report failures. */
  readonly check: boolean;
  /** Printed before the table. */
  readonly heading: string;
  /** The command's log flags (over the config file's log settings). */
  readonly log: LogFlags;
  /** Also log in to Vault first and say with which method (`context`). */
  readonly vault?: boolean;
}

/**
 * Prints who SecretSync is in AWS and how each target is reached (`context`); with `check`, also
 * assumes every role once (`context --check`, `validate --check-aws`). Returns false when the
 * credentials or any role failed, with the reason shown.
 */
export async function reportAwsAccess(
  config: Config,
  targets: readonly Target[],
  io: CliIo,
  options: AwsAccessOptions,
): Promise<boolean> {
  const logger = commandLogger(options.log, config, io);
  const app = createApp(config, io.env, logger, createMetrics());
  try {
    return await withRun(async () => {
      const vaultOk = options.vault !== true || (await reportVaultLogin(config, app, io));
      let caller;
      try {
        caller = await app.aws.callerIdentity();
      } catch (error) {
        io.writeOut(
          `${options.heading}the AWS credentials do not work: ${(error as Error).message}\n`,
        );
        return false;
      }
      const rows = await describeTargetAccess(config, targets, app.aws, caller, options.check);
      io.writeOut(`${options.heading}${formatTargetAccess(caller, config, rows)}`);
      return vaultOk && rows.every((row) => row.check?.ok !== false);
    });
  } finally {
    app.close();
  }
}

/** Logs in to Vault (when the config reads it) and prints how; false when the login failed. */
async function reportVaultLogin(config: Config, app: App, io: CliIo): Promise<boolean> {
  if (!usesVault(config)) return true;
  const address = config.vault.address ?? '(no address)';
  try {
    io.writeOut(formatVaultLogin(address, await app.vaultLogin()));
    return true;
  } catch (error) {
    io.writeOut(formatVaultFailure(address, config, (error as Error).message));
    return false;
  }
}
