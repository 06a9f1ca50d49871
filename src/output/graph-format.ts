import type { TargetGraph } from '../plan/target-graph.js';

/** The graph renderings `secretsync graph` offers. */
export type GraphFormat = 'text' | 'dot' | 'mermaid';

/** Every graph format, for flag validation and help text. */
export const GRAPH_FORMATS = ['text', 'dot', 'mermaid'] as const satisfies readonly GraphFormat[];

/** A dynamic target this run did not expand: shown as such, with what its targets import. */
export interface DynamicNode {
  readonly name: string;
  readonly imports: readonly string[];
}

/** How dynamic targets appear: unexpanded ones as nodes of their own, discovered ones marked. */
export interface GraphDynamics {
  readonly unexpanded: readonly DynamicNode[];
  /** Discovered target name → the dynamic target that found it. */
  readonly discoveredBy: ReadonlyMap<string, string>;
}

const NO_DYNAMICS: GraphDynamics = { unexpanded: [], discoveredBy: new Map() };

/** Renders the target graph; the same graph always gives byte-identical text. */
export function formatGraph(
  graph: TargetGraph,
  format: GraphFormat,
  dynamics: GraphDynamics = NO_DYNAMICS,
): string {
  const renderers = { text: formatText, dot: formatDot, mermaid: formatMermaid } satisfies Record<
    GraphFormat,
    (graph: TargetGraph, dynamics: GraphDynamics) => string
  >;
  const shown = dynamics.unexpanded.filter((node) =>
    node.imports.every((name) => graph.targets.has(name) || graph.sources.includes(name)),
  );
  return renderers[format](graph, { ...dynamics, unexpanded: shown });
}

/** ` (discovered by Sandboxes)` for a discovered target, else nothing. */
function discoveredNote(name: string, dynamics: GraphDynamics): string {
  const by = dynamics.discoveredBy.get(name);
  return by === undefined ? '' : ` (discovered by ${by})`;
}

const DYNAMIC_NOTE = 'one target per discovered account, with --discover';

function formatText(graph: TargetGraph, dynamics: GraphDynamics): string {
  const lines = [`Level 0 (sources): ${graph.sources.join(', ') || '(none)'}`];
  graph.levels.forEach((names, index) => {
    lines.push(`Level ${index + 1}:`);
    for (const name of names) {
      const imports = (graph.targets.get(name)?.imports ?? []).join(', ');
      lines.push(`  ${name} <- ${imports}${discoveredNote(name, dynamics)}`);
    }
  });
  if (dynamics.unexpanded.length > 0) lines.push(`Dynamic targets (${DYNAMIC_NOTE}):`);
  for (const node of dynamics.unexpanded)
    lines.push(`  ${node.name} <- ${node.imports.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

function edges(graph: TargetGraph): [from: string, to: string, order: number][] {
  return [...graph.targets.values()].flatMap((target) =>
    target.imports.map((name, index): [string, string, number] => [name, target.name, index + 1]),
  );
}

function dynamicEdges(dynamics: GraphDynamics): [from: string, to: string, order: number][] {
  return dynamics.unexpanded.flatMap((node) =>
    node.imports.map((name, index): [string, string, number] => [name, node.name, index + 1]),
  );
}

function formatDot(graph: TargetGraph, dynamics: GraphDynamics): string {
  const quote = (name: string) => `"${name.replace(/["\\]/g, '\\$&')}"`;
  const lines = ['digraph secretsync {', '  rankdir=LR;', '  node [shape=box];'];
  for (const source of graph.sources) lines.push(`  ${quote(source)} [shape=cylinder];`);
  for (const name of graph.targets.keys())
    if (dynamics.discoveredBy.has(name))
      lines.push(`  ${quote(name)} [label=${quote(`${name}${discoveredNote(name, dynamics)}`)}];`);
  for (const node of dynamics.unexpanded)
    lines.push(
      `  ${quote(node.name)} [style=dashed, label=${quote(`${node.name} (dynamic: ${DYNAMIC_NOTE})`)}];`,
    );
  for (const [from, to, order] of edges(graph))
    lines.push(`  ${quote(from)} -> ${quote(to)} [label="${order}"];`);
  for (const [from, to, order] of dynamicEdges(dynamics))
    lines.push(`  ${quote(from)} -> ${quote(to)} [label="${order}", style=dashed];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function formatMermaid(graph: TargetGraph, dynamics: GraphDynamics): string {
  // Mermaid ids must be simple; names can hold dots and dashes, so ids are indexes.
  const dynamicNames = dynamics.unexpanded.map((node) => node.name);
  const names = [...graph.sources, ...graph.targets.keys(), ...dynamicNames];
  const id = (name: string) => `n${names.indexOf(name)}`;
  const lines = ['flowchart LR'];
  for (const source of graph.sources) lines.push(`  ${id(source)}[("${source}")]`);
  for (const target of graph.targets.keys())
    lines.push(`  ${id(target)}["${target}${discoveredNote(target, dynamics)}"]`);
  for (const name of dynamicNames)
    lines.push(`  ${id(name)}[/"${name} (dynamic: ${DYNAMIC_NOTE})"/]`);
  for (const [from, to, order] of edges(graph)) lines.push(`  ${id(from)} -->|${order}| ${id(to)}`);
  for (const [from, to, order] of dynamicEdges(dynamics))
    lines.push(`  ${id(from)} -.->|${order}| ${id(to)}`);
  return `${lines.join('\n')}\n`;
}
