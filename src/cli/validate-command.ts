import { Command } from 'commander';
import { exitCodeFor } from '../core/exit-code.js';
import { formatValidateSummary } from '../output/validate-summary.js';
import { buildTargetGraph } from '../plan/target-graph.js';
import { reportAwsAccess } from './aws-check.js';
import { configOption, loadChosenConfig } from './config-option.js';
import { discoverOption, discoverStandalone } from './discovery.js';
import { booleanFlag } from './env-option.js';
import type { CliIo } from './io.js';
import { addLogOptions } from './runtime-options.js';
import type { LogFlags } from './runtime-options.js';

interface ValidateFlags extends LogFlags {
  readonly config?: string;
  readonly exitCode?: boolean;
  readonly discover?: boolean;
  readonly checkAws?: boolean;
}

/** `secretsync validate`: load and check the config, print a summary with levels and warnings. */
export function validateCommand(io: CliIo, finish: (code: number) => void): Command {
  const command = new Command('validate')
    .description(
      'check a config file and print its sources, targets by level, dynamic targets and warnings',
    )
    .addOption(configOption())
    .addOption(
      booleanFlag(
        '--exit-code',
        'exit 2 (not 1) on an invalid config, as pipeline --exit-code does',
        'SECRETSYNC_EXIT_CODE',
      ),
    )
    .addOption(discoverOption('contacts AWS as the caller and lists the discovered targets'))
    .option(
      '--check-aws',
      'also check the AWS credentials and assume every target role once, naming any that fail',
    );
  return addLogOptions(command)
    .addHelpText(
      'after',
      `
Every problem is reported at once with its YAML path and line; without --discover nothing is contacted.

Examples:
  $ secretsync validate --config examples/secretsync.yaml
  $ SECRETSYNC_CONFIG=prod.yaml secretsync validate
  $ secretsync validate --config config.yaml --discover
  $ secretsync validate --config config.yaml --check-aws`,
    )
    .action(async (flags: ValidateFlags) => {
      const loaded = await loadChosenConfig(flags.config, io);
      const { config } = loaded;
      const set = flags.discover === true ? await discoverStandalone(config, io, flags) : undefined;
      const targets = set?.targets ?? config.targets;
      const graph = buildTargetGraph([...config.sources.keys()], [...targets.values()]);
      io.writeOut(formatValidateSummary(loaded.path, config, graph, loaded.warnings, set));
      const awsOk =
        flags.checkAws === true
          ? await reportAwsAccess(config, [...targets.values()], io, {
              check: true,
              heading: '\nAWS check:\n',
              log: flags,
            })
          : true;
      finish(exitCodeFor(awsOk ? 'success' : 'failure', flags.exitCode === true));
    });
}
