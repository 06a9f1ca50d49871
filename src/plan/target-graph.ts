import { PlanError } from '../core/errors.js';
import { collectDependencies, computeLevels, findCycles } from '../core/graph.js';
import { suggestClosest } from '../core/suggest.js';

/** What planning needs to know about a target: its name and ordered imports. */
export interface GraphTarget {
  readonly name: string;
  readonly imports: readonly string[];
}

/** Targets in dependency order: level 1 imports only sources; level n imports level < n. */
export interface TargetGraph {
  readonly sources: readonly string[];
  readonly targets: ReadonlyMap<string, GraphTarget>;
  /** Targets grouped by level, index 0 = level 1; each group sorted by name. */
  readonly levels: readonly (readonly string[])[];
  levelOf(name: string): number;
}

/**
 * Builds the target graph: sources are level 0, a target is 1 + the highest level among its
 * imports. Throws PlanError naming every cycle.
 */
export function buildTargetGraph(
  sources: readonly string[],
  targets: readonly GraphTarget[],
): TargetGraph {
  const dependencies = new Map(targets.map((t) => [t.name, t.imports] as const));
  const cycles = findCycles(dependencies);
  if (cycles.length > 0) {
    const written = cycles.map((cycle) => cycle.join(' -> ')).join('; ');
    throw new PlanError(`targets import each other in a cycle: ${written}`);
  }
  const levels = computeLevels(dependencies);
  const grouped: string[][] = [];
  for (const [name, level] of [...levels].sort(([a], [b]) => a.localeCompare(b))) {
    (grouped[level - 1] ??= []).push(name);
  }
  return {
    sources: [...sources].sort(),
    targets: new Map(
      [...dependencies.keys()]
        .sort()
        .map((name) => [name, { name, imports: dependencies.get(name) ?? [] }]),
    ),
    levels: grouped.map((group) => group),
    levelOf: (name) => levels.get(name) ?? 0,
  };
}

/** The config's dynamic targets and whether this run expanded them, for unknown-name hints. */
export interface DynamicTargetNames {
  readonly names: readonly string[];
  readonly discovered: boolean;
}

/**
 * Restricts the graph to the named targets plus every target they inherit from. An unknown name
 * is a PlanError that lists the valid ones (and, with dynamic targets, says how `--discover`
 * makes their targets selectable). An empty selection keeps the whole graph.
 */
export function selectTargets(
  graph: TargetGraph,
  names: readonly string[],
  dynamic: DynamicTargetNames = { names: [], discovered: false },
): TargetGraph {
  if (names.length === 0) return graph;
  const valid = [...graph.targets.keys()];
  const unknown = names.filter((name) => !graph.targets.has(name));
  if (unknown.length > 0) {
    const hints = unknown.map((name) => {
      const hint = suggestClosest(name, valid);
      return hint === undefined ? `"${name}"` : `"${name}" (did you mean "${hint}"?)`;
    });
    throw new PlanError(
      `unknown target ${hints.join(', ')}; valid targets: ${valid.join(', ')}${dynamicHint(unknown, dynamic)}`,
    );
  }
  const dependencies = new Map([...graph.targets].map(([name, t]) => [name, t.imports] as const));
  const keep = new Set(names.flatMap((name) => [...collectDependencies(dependencies, name)]));
  const kept = [...graph.targets.values()].filter((t) => keep.has(t.name));
  const usedSources = graph.sources.filter((source) =>
    kept.some((t) => t.imports.includes(source)),
  );
  return buildTargetGraph(usedSources, kept);
}

/** What an unknown name may mean when the config has dynamic targets. */
function dynamicHint(unknown: readonly string[], dynamic: DynamicTargetNames): string {
  if (dynamic.names.length === 0) return '';
  const list = dynamic.names.join(', ');
  if (!dynamic.discovered)
    return `; the dynamic targets (${list}) become targets, one per discovered account and named after it, only with --discover: add --discover to select them`;
  const named = unknown.filter((name) => dynamic.names.includes(name));
  return named.length === 0
    ? ''
    : `; ${named.map((name) => `"${name}"`).join(', ')} is a dynamic target: select the targets it discovered by their names (secretsync graph --discover lists them)`;
}
