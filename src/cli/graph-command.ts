import { Command, Option } from 'commander';
import { formatGraph, GRAPH_FORMATS } from '../output/graph-format.js';
import type { GraphFormat } from '../output/graph-format.js';
import { buildTargetGraph, selectTargets } from '../plan/target-graph.js';
import { configOption, loadChosenConfig } from './config-option.js';
import { discoverOption, discoverStandalone } from './discovery.js';
import type { CliIo } from './io.js';
import { addLogOptions } from './runtime-options.js';
import type { LogFlags } from './runtime-options.js';
import { parseNameList } from './name-list.js';

interface GraphFlags extends LogFlags {
  readonly config?: string;
  readonly format: GraphFormat;
  readonly targets?: string;
  readonly discover?: boolean;
}

/** `secretsync graph`: print the dependency graph of sources and targets. */
export function graphCommand(io: CliIo, finish: (code: number) => void): Command {
  const command = new Command('graph')
    .description('print how targets inherit from sources and other targets')
    .addOption(configOption())
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(GRAPH_FORMATS).default('text'),
    )
    .option(
      '--targets <names>',
      'comma-separated targets to show, with everything they inherit from',
    )
    .addOption(discoverOption('contacts AWS as the caller'));
  return addLogOptions(command)
    .addHelpText(
      'after',
      `
The output is deterministic: the same config (and, with --discover, the same accounts) always
prints the same bytes.

Examples:
  $ secretsync graph --config examples/secretsync.yaml
  $ secretsync graph --format dot | dot -Tsvg > graph.svg
  $ secretsync graph --format mermaid --targets Demo
  $ secretsync graph --discover`,
    )
    .action(async (flags: GraphFlags) => {
      const { config } = await loadChosenConfig(flags.config, io);
      const targets =
        flags.discover === true
          ? (await discoverStandalone(config, io, flags)).targets
          : config.targets;
      const graph = buildTargetGraph([...config.sources.keys()], [...targets.values()]);
      io.writeOut(
        formatGraph(
          selectTargets(graph, parseNameList(flags.targets, { flag: '--targets' })),
          flags.format,
        ),
      );
      finish(0);
    });
}
