import type { TargetGraph } from '../plan/target-graph.js';

/** The graph renderings `secretsync graph` offers. */
export type GraphFormat = 'text' | 'dot' | 'mermaid';

/** Every graph format, for flag validation and help text. */
export const GRAPH_FORMATS = ['text', 'dot', 'mermaid'] as const satisfies readonly GraphFormat[];

/** Renders the target graph; the same graph always gives byte-identical text. */
export function formatGraph(graph: TargetGraph, format: GraphFormat): string {
  const renderers = { text: formatText, dot: formatDot, mermaid: formatMermaid } satisfies Record<
    GraphFormat,
    (graph: TargetGraph) => string
  >;
  return renderers[format](graph);
}

function formatText(graph: TargetGraph): string {
  const lines = [`Level 0 (sources): ${graph.sources.join(', ') || '(none)'}`];
  graph.levels.forEach((names, index) => {
    lines.push(`Level ${index + 1}:`);
    for (const name of names) {
      lines.push(`  ${name} <- ${(graph.targets.get(name)?.imports ?? []).join(', ')}`);
    }
  });
  return `${lines.join('\n')}\n`;
}

function edges(graph: TargetGraph): [from: string, to: string, order: number][] {
  return [...graph.targets.values()].flatMap((target) =>
    target.imports.map((name, index): [string, string, number] => [name, target.name, index + 1]),
  );
}

function formatDot(graph: TargetGraph): string {
  const quote = (name: string) => `"${name.replace(/["\\]/g, '\\$&')}"`;
  const lines = ['digraph secretsync {', '  rankdir=LR;', '  node [shape=box];'];
  for (const source of graph.sources) lines.push(`  ${quote(source)} [shape=cylinder];`);
  for (const [from, to, order] of edges(graph))
    lines.push(`  ${quote(from)} -> ${quote(to)} [label="${order}"];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function formatMermaid(graph: TargetGraph): string {
  // Mermaid ids must be simple; names can hold dots and dashes, so ids are indexes.
  const names = [...graph.sources, ...graph.targets.keys()];
  const id = (name: string) => `n${names.indexOf(name)}`;
  const lines = ['flowchart LR'];
  for (const source of graph.sources) lines.push(`  ${id(source)}[("${source}")]`);
  for (const target of graph.targets.keys()) lines.push(`  ${id(target)}["${target}"]`);
  for (const [from, to, order] of edges(graph)) lines.push(`  ${id(from)} -->|${order}| ${id(to)}`);
  return `${lines.join('\n')}\n`;
}
