import { z } from 'zod';
import type { ConfigIssue } from '../core/errors.js';
import { suggestClosest } from '../core/suggest.js';
import type { YamlFile } from './yaml-document.js';

type Segment = PropertyKey;

/** Turns zod's issues into config issues with YAML paths, lines and "did you mean" hints. */
export function toConfigIssues(
  error: z.ZodError,
  schema: z.ZodType,
  file: YamlFile,
): ConfigIssue[] {
  return flatten(error.issues, []).flatMap((issue) => describe(issue, schema, file));
}

/** The paths of the innermost issues (union branches resolved), unknown keys included. */
export function issuePaths(error: z.ZodError): PropertyKey[][] {
  return flatten(error.issues, []).flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => [...issue.fullPath, key])
      : [[...issue.fullPath]],
  );
}

type FlatIssue = z.core.$ZodIssue & { readonly fullPath: readonly Segment[] };

function flatten(issues: readonly z.core.$ZodIssue[], prefix: readonly Segment[]): FlatIssue[] {
  return issues.flatMap((issue): FlatIssue[] => {
    const fullPath = [...prefix, ...issue.path];
    if (issue.code !== 'invalid_union' || issue.errors.length === 0)
      return [{ ...issue, fullPath }];
    // Report the branch whose shape matched the input (e.g. the object form of a target), not
    // every branch: "expected array" is noise when the user clearly wrote an object.
    const matching = issue.errors.filter(
      (branch) => !branch.some((inner) => inner.code === 'invalid_type' && inner.path.length === 0),
    );
    if (matching.length === 0) return [{ ...issue, fullPath, message: describeUnion(issue) }];
    const best = matching.reduce((a, b) => (b.length < a.length ? b : a));
    return flatten(best, fullPath);
  });
}

function describeUnion(issue: z.core.$ZodIssueInvalidUnion): string {
  const expected = issue.errors
    .flatMap((branch) =>
      branch.flatMap((inner) => (inner.code === 'invalid_type' ? [inner.expected] : [])),
    )
    .filter((name, index, all) => name !== '' && all.indexOf(name) === index);
  return expected.length > 0 ? `expected one of: ${expected.join(', ')}` : issue.message;
}

function describe(issue: FlatIssue, schema: z.ZodType, file: YamlFile): ConfigIssue[] {
  const path = renderPath(issue.fullPath);
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(schema, issue.fullPath);
    return issue.keys.map((key) => {
      const hint = suggestClosest(key, known);
      const tail =
        hint === undefined ? `valid keys: ${known.join(', ')}` : `did you mean "${hint}"?`;
      return {
        path: renderPath([...issue.fullPath, key]),
        line: file.lineOfKey(issue.fullPath, key),
        message: `unknown key "${key}"; ${tail}`,
        rule: 'unknown-key',
      };
    });
  }
  return [{ path, line: file.lineOf(issue.fullPath), message: humanize(issue), rule: 'schema' }];
}

function humanize(issue: FlatIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  if (issue.code === 'invalid_value')
    return `must be one of: ${issue.values.map(String).join(', ')}`;
  return issue.message;
}

/** Renders `['targets', 'Prod', 'imports', 0]` as `targets.Prod.imports[0]`. */
export function renderPath(path: readonly Segment[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

/** The keys an object schema accepts at `path`, looking through optional, union, record, lazy. */
function knownKeysAt(schema: z.ZodType, path: readonly Segment[]): string[] {
  const objects = objectsAt(schema, path);
  return [...new Set(objects.flatMap((object) => Object.keys(object.shape)))].sort();
}

function objectsAt(schema: z.ZodType, path: readonly Segment[]): z.ZodObject[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodUnion) {
    return (inner.options as z.ZodType[]).flatMap((option) => objectsAt(option, path));
  }
  if (path.length === 0) return inner instanceof z.ZodObject ? [inner] : [];
  const [head, ...rest] = path;
  if (inner instanceof z.ZodObject && typeof head === 'string') {
    const child = (inner.shape as Record<string, z.ZodType | undefined>)[head];
    return child === undefined ? [] : objectsAt(child, rest);
  }
  if (inner instanceof z.ZodRecord) return objectsAt(inner.valueType as z.ZodType, rest);
  if (inner instanceof z.ZodArray) return objectsAt(inner.element as z.ZodType, rest);
  return [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodOptional) return unwrap(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodLazy) return unwrap(schema.unwrap() as z.ZodType);
  return schema;
}
