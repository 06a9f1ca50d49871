import type { Config, ConfigWarning } from '../config/types.js';
import type { TargetGraph } from '../plan/target-graph.js';

/** Renders what `secretsync validate` found: sources, targets by level, dynamic targets, warnings. */
export function formatValidateSummary(
  path: string,
  config: Config,
  graph: TargetGraph,
  warnings: readonly ConfigWarning[],
): string {
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
  lines.push('', `Targets (${config.targets.size}) by level:`);
  graph.levels.forEach((names, index) => {
    lines.push(`  Level ${index + 1}:`);
    for (const name of names) {
      const target = config.targets.get(name);
      const account = target?.accountId ?? '(caller account)';
      lines.push(
        `    ${name}: account ${account}, ${target?.region ?? ''}, imports ${(target?.imports ?? []).join(', ')}`,
      );
    }
  });
  lines.push('', `Dynamic targets (${config.dynamicTargets.size}):`);
  for (const dynamic of config.dynamicTargets.values()) {
    const methods = Object.entries(dynamic.discovery)
      .filter(([, value]) => value !== undefined)
      .map(([key]) => key);
    lines.push(
      `  ${dynamic.name}: discovered by ${methods.join(' + ')}, imports ${dynamic.imports.join(', ')}`,
    );
  }
  lines.push('', warnings.length === 0 ? 'No warnings.' : `Warnings (${warnings.length}):`);
  for (const warning of warnings) {
    const where = warning.line === undefined ? path : `${path}:${warning.line}`;
    lines.push(`  ${where}: ${warning.path}: ${warning.message}`);
  }
  return `${lines.join('\n')}\n`;
}
