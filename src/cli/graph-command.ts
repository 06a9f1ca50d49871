import { Command, Option } from 'commander';
import type { Config } from '../config/types.js';
import { formatGraph, GRAPH_FORMATS } from '../output/graph-format.js';
import type { GraphDynamics, GraphFormat } from '../output/graph-format.js';
import type { TargetSet } from '../pipeline/discover-targets.js';
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

Dynamic targets are shown as such: without --discover as one dashed node each ("dynamic: one
target per discovered account"); with --discover, each discovered target is named after its
account and marked "(discovered by <dynamic target>)".

Examples:
  $ secretsync graph --config examples/secretsync.yaml
  $ secretsync graph --format dot | dot -Tsvg > graph.svg
  $ secretsync graph --format mermaid --targets Demo
  $ secretsync graph --discover`,
    )
    .action(async (flags: GraphFlags) => {
      const { config } = await loadChosenConfig(flags.config, io);
      const discovered = flags.discover === true;
      const set = discovered ? await discoverStandalone(config, io, flags) : undefined;
      const targets = set?.targets ?? config.targets;
      const graph = buildTargetGraph([...config.sources.keys()], [...targets.values()]);
      const selected = selectTargets(graph, parseNameList(flags.targets, { flag: '--targets' }), {
        names: [...config.dynamicTargets.keys()],
        discovered,
      });
      io.writeOut(formatGraph(selected, flags.format, graphDynamics(config, set)));
      finish(0);
    });
}

/** Unexpanded dynamic targets without --discover; with it, which target each one discovered. */
function graphDynamics(config: Config, set: TargetSet | undefined): GraphDynamics {
  if (set !== undefined)
    return {
      unexpanded: [],
      discoveredBy: new Map(set.discovered.map((target) => [target.name, target.discoveredBy])),
    };
  const unexpanded = [...config.dynamicTargets.values()].map(({ name, imports }) => ({
    name,
    imports,
  }));
  return { unexpanded, discoveredBy: new Map() };
}
