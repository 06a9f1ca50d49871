import type { Config, ConfigWarning, Target } from '../config/types.js';
import type { DiscoveredTarget, ExpansionWarning } from '../plan/dynamic-targets.js';
import type { TargetGraph } from '../plan/target-graph.js';

/** What `validate --discover` found: the discovered targets and expansion warnings. */
export interface DiscoverySummary {
  readonly discovered: readonly DiscoveredTarget[];
  readonly warnings: readonly ExpansionWarning[];
}

/**
 * Renders what `secretsync validate` found: sources, targets by level, dynamic targets (with the
 * accounts each became when discovery ran), warnings.
 */
export function formatValidateSummary(
  path: string,
  config: Config,
  graph: TargetGraph,
  warnings: readonly ConfigWarning[],
  discovery?: DiscoverySummary,
): string {
  const discovered = discovery?.discovered ?? [];
  const lines = [`Config ${path} is valid.`, '', `Sources (${config.sources.size}):`];
  for (const source of config.sources.values()) {
    const where =
      source.kind === 'vault'
        ? `vault ${[source.mount, source.path].filter(Boolean).join('/')}`
        : `aws ${source.accountId} ${source.region} prefix "${source.prefix}"`;
    lines.push(`  ${source.name}: ${where}`);
  }
  const store = config.mergeStore;
  lines.push(
    '',
    `Merge store: ${store.kind === 'vault' ? `vault mount ${store.mount}` : `s3://${store.bucket}/${store.prefix}`}`,
  );
  lines.push(...levelLines(config, graph, discovered));
  lines.push('', `Dynamic targets (${config.dynamicTargets.size}):`);
  for (const dynamic of config.dynamicTargets.values()) {
    const methods = Object.entries(dynamic.discovery)
      .filter(([, value]) => value !== undefined)
      .map(([key]) => key);
    lines.push(
      `  ${dynamic.name}: discovered by ${methods.join(' + ')}, imports ${dynamic.imports.join(', ')}`,
    );
    if (discovery !== undefined) lines.push(`    ${discoveredLine(dynamic.name, discovered)}`);
  }
  lines.push(...warningLines(path, warnings, discovery?.warnings ?? []));
  return `${lines.join('\n')}\n`;
}

/** Static and discovered targets by level; discovered ones say which dynamic target found them. */
function levelLines(
  config: Config,
  graph: TargetGraph,
  discovered: readonly DiscoveredTarget[],
): string[] {
  const targets = new Map<string, Target>([
    ...config.targets,
    ...discovered.map((t): [string, Target] => [t.name, t]),
  ]);
  const origin = new Map(discovered.map((t) => [t.name, t.discoveredBy]));
  const lines = ['', `Targets (${targets.size}) by level:`];
  graph.levels.forEach((names, index) => {
    lines.push(`  Level ${index + 1}:`);
    for (const name of names) {
      const target = targets.get(name);
      const account = target?.accountId ?? '(caller account)';
      const from = origin.get(name);
      lines.push(
        `    ${name}: account ${account}, ${target?.region ?? ''}, imports ${(target?.imports ?? []).join(', ')}${from === undefined ? '' : ` (discovered by ${from})`}`,
      );
    }
  });
  return lines;
}

function warningLines(
  path: string,
  warnings: readonly ConfigWarning[],
  expansion: readonly ExpansionWarning[],
): string[] {
  const all: ConfigWarning[] = [
    ...warnings,
    ...expansion.map((w) => ({ path: `dynamic_targets.${w.dynamicTarget}`, message: w.message })),
  ];
  const lines = ['', all.length === 0 ? 'No warnings.' : `Warnings (${all.length}):`];
  for (const warning of all) {
    const where = warning.line === undefined ? path : `${path}:${warning.line}`;
    lines.push(`  ${where}: ${warning.path}: ${warning.message}`);
  }
  return lines;
}

function discoveredLine(dynamic: string, discovered: readonly DiscoveredTarget[]): string {
  const mine = discovered.filter((t) => t.discoveredBy === dynamic);
  if (mine.length === 0) return 'accounts: none discovered';
  const listed = mine.map((t) =>
    t.accountName === ''
      ? `${t.name} (${t.accountId})`
      : `${t.name} (${t.accountId} "${t.accountName}")`,
  );
  return `accounts (${mine.length}): ${listed.join(', ')}`;
}
