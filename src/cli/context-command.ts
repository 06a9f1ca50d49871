import { Command } from 'commander';
import { reportAwsAccess } from './aws-check.js';
import { configOption, loadChosenConfig } from './config-option.js';
import type { CliIo } from './io.js';
import { addLogOptions } from './runtime-options.js';
import type { LogFlags } from './runtime-options.js';

interface ContextFlags extends LogFlags {
  readonly config?: string;
  readonly check?: boolean;
}

/** `secretsync context`: who SecretSync is in AWS and which role each target would use. */
export function contextCommand(io: CliIo, finish: (code: number) => void): Command {
  const command = new Command('context')
    .description(
      'show how SecretSync logs in to Vault, the AWS identity it runs as, and the role it would use for each target',
    )
    .addOption(configOption())
    .option('--check', 'also assume every role once and report the ones that fail');
  addLogOptions(command).addHelpText(
    'after',
    `
Vault: logs in with the configured method (token, approle, kubernetes, jwt, aws) and
shows which one, with the token's policies and TTL.

Role order: target role_arn, aws.execution_context.custom_role_pattern, the Control Tower role,
then aws.default_role_name. No role is assumed only for the caller's own account.

Example:
  $ secretsync context --config config.yaml --check`,
  );
  return command.action(async (flags: ContextFlags) => {
    const { config } = await loadChosenConfig(flags.config, io);
    const ok = await reportAwsAccess(config, [...config.targets.values()], io, {
      check: flags.check === true,
      heading: '',
      vault: true,
      log: flags,
    });
    finish(ok ? 0 : 1);
  });
}
