import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

// The import graph of src/: no cycle between files, and every import between folders allowed by
// the layer table eslint.config.js enforces (eslint.layers.json). Type-only imports count: a
// type cycle is still a knot a reader has to untie.

const layerTable = z.object({
  layers: z.array(z.object({ folder: z.string(), mayImport: z.array(z.string()) })),
});

/** Import graph: file (relative to the repository root) → the files of src/ it imports. */
type Graph = ReadonlyMap<string, readonly string[]>;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import, re-export and dynamic import of each file, resolved to a .ts file. */
function importGraph(root: string): Graph {
  const files = sourceFiles(root);
  return new Map(
    files.map((file) => {
      const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      const targets = importedFiles
        .map(({ fileName }) => fileName)
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => resolve(dirname(file), specifier).replace(/\.js$/, '.ts'))
        .filter((target) => target.endsWith('.ts') && existsSync(target))
        .map((target) => relative(process.cwd(), target))
        // Test helpers under test/ are not part of the layer order.
        .filter((target) => target.startsWith(`${root}/`));
      return [file, [...new Set(targets)].sort()];
    }),
  );
}

/** Each strongly connected knot of the graph, written as one cycle `a -> b -> a`. */
function findCycles(graph: Graph): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component = new Set<string>();
    for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
      onStack.delete(top);
      component.add(top);
      if (top === node) break;
    }
    const selfLoop = (graph.get(node) ?? []).includes(node);
    if (component.size > 1 || selfLoop) cycles.push(cycleThrough(graph, component));
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles.sort();
}

/** One concrete cycle through a knot, starting at its first file by name. */
function cycleThrough(graph: Graph, component: ReadonlySet<string>): string {
  const start = [...component].sort()[0] ?? '';
  const path = [start];
  const seen = new Set<string>();
  const extend = (node: string): boolean => {
    for (const next of graph.get(node) ?? []) {
      if (next === start) return true;
      if (!component.has(next) || seen.has(next)) continue;
      seen.add(next);
      path.push(next);
      if (extend(next)) return true;
      path.pop();
    }
    return false;
  };
  extend(start);
  return [...path, start].join(' -> ');
}

/** The layer of a file of src/: its first folder, or `(root)` for main.ts and its kin. */
function layerOf(file: string): string {
  const parts = file.split('/');
  return parts.length > 2 ? (parts[1] ?? '') : '(root)';
}

/** Every import between folders that the layer table does not allow, as `file -> file (why)`. */
function layerViolations(graph: Graph, table: z.infer<typeof layerTable>): string[] {
  const layers = new Map(table.layers.map((layer) => [layer.folder, layer.mayImport]));
  return [...graph].flatMap(([file, targets]) => {
    const from = layerOf(file);
    if (from === '(root)') return [];
    const allowed = layers.get(from);
    if (allowed === undefined) return [`${file}: folder ${from}/ is not in eslint.layers.json`];
    return targets
      .filter((target) => {
        const to = layerOf(target);
        if (to === from) return false;
        const withoutExtension = target.replace(/\.ts$/, '').split('/').slice(1).join('/');
        return !allowed.includes(to) && !allowed.includes(withoutExtension);
      })
      .map(
        (target) =>
          `${file} -> ${target} (${from}/ may import ${allowed.join(', ') || 'nothing of ours'})`,
      );
  });
}

describe('import graph of src/', () => {
  const graph = importGraph('src');
  const table = layerTable.parse(JSON.parse(readFileSync('eslint.layers.json', 'utf8')));

  it('sees the imports (sanity check of the walker)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('src/main.ts')).toContain('src/cli/program.ts');
  });

  it('has no cycle between files', () => {
    expect(findCycles(graph)).toEqual([]);
  });

  it('has no import against the layer order', () => {
    expect(layerViolations(graph, table)).toEqual([]);
  });
});

describe('the graph checks themselves', () => {
  it('name each cycle, including a file importing itself', () => {
    const graph = new Map([
      ['src/core/a.ts', ['src/core/b.ts']],
      ['src/core/b.ts', ['src/core/c.ts']],
      ['src/core/c.ts', ['src/core/a.ts', 'src/core/d.ts']],
      ['src/core/d.ts', []],
      ['src/core/e.ts', ['src/core/e.ts']],
    ]);
    expect(findCycles(graph)).toEqual([
      'src/core/a.ts -> src/core/b.ts -> src/core/c.ts -> src/core/a.ts',
      'src/core/e.ts -> src/core/e.ts',
    ]);
  });

  it('flag an import against the table, allow a listed single file, and flag unknown folders', () => {
    const table = {
      layers: [
        { folder: 'core', mayImport: [] },
        { folder: 'clients', mayImport: ['core', 'pipeline/ports'] },
        { folder: 'pipeline', mayImport: ['core'] },
      ],
    };
    const graph = new Map([
      ['src/core/a.ts', ['src/pipeline/ports.ts']],
      ['src/clients/b.ts', ['src/pipeline/ports.ts', 'src/core/a.ts']],
      ['src/clients/c.ts', ['src/pipeline/run.ts']],
      ['src/extra/d.ts', []],
      ['src/main.ts', ['src/clients/b.ts']],
    ]);
    expect(layerViolations(graph, table)).toEqual([
      'src/core/a.ts -> src/pipeline/ports.ts (core/ may import nothing of ours)',
      'src/clients/c.ts -> src/pipeline/run.ts (clients/ may import core, pipeline/ports)',
      'src/extra/d.ts: folder extra/ is not in eslint.layers.json',
    ]);
  });
});
