import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { Document, Node } from 'yaml';
import type { ConfigIssue } from '../core/errors.js';
import { describeSubstitutionProblem, substituteEnv } from './env-substitution.js';
import type { Environment } from './env-substitution.js';

/** A parsed YAML file that can tell the line of any path in it. */
export interface YamlFile {
  readonly data: unknown;
  /** 1-based line of the node at `path`, or of its nearest existing ancestor. */
  lineOf(path: readonly PropertyKey[]): number | undefined;
  /** 1-based line of the key `key` inside the map at `path` (for unknown-key errors). */
  lineOfKey(path: readonly PropertyKey[], key: string): number | undefined;
}

/** Parses YAML text, applies environment substitution to every string value, keeps positions. */
export function parseYamlFile(
  text: string,
  env: Environment,
): { file: YamlFile; issues: ConfigIssue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const lineAt = (offset: number | undefined): number | undefined =>
    offset === undefined ? undefined : lineCounter.linePos(offset).line;
  const issues: ConfigIssue[] = doc.errors.map((error) => ({
    path: '',
    line: lineAt(error.pos[0]),
    message: `YAML syntax: ${error.message.split('\n')[0] ?? error.code}`,
    rule: 'yaml-syntax',
  }));
  if (issues.length === 0) issues.push(...substituteDocument(doc, text, env, lineAt));
  const nodeAt = (path: readonly PropertyKey[]): Node | undefined => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node: unknown = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      if (isNodeWithRange(node)) return node;
    }
    return undefined;
  };
  const file: YamlFile = {
    data: issues.length === 0 ? toData(doc, issues) : undefined,
    lineOf: (path) => lineAt(nodeAt(path)?.range?.[0]),
    lineOfKey: (path, key) => {
      const parent: unknown = path.length === 0 ? doc.contents : doc.getIn(path, true);
      if (!isMap(parent)) return lineAt(nodeAt(path)?.range?.[0]);
      const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === key);
      const keyNode: unknown = pair?.key;
      return isNodeWithRange(keyNode) ? lineAt(keyNode.range?.[0]) : lineAt(parent.range?.[0]);
    },
  };
  return { file, issues };
}

function substituteDocument(
  doc: Document,
  text: string,
  env: Environment,
  lineAt: (offset: number | undefined) => number | undefined,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  visit(doc, {
    Scalar(key, node, ancestors) {
      if (key === 'key') return;
      const source = node.range ? text.slice(node.range[0], node.range[1]) : '';
      // Unquoted 12-digit numbers are account ids: keep the digits as written (leading zeros).
      if (typeof node.value === 'number' && /^\d{12}$/.test(source)) node.value = source;
      if (typeof node.value !== 'string') return;
      const result = substituteEnv(node.value, env);
      if (!result.ok) {
        const path = pathOf(ancestors, node);
        for (const problem of result.problems) {
          issues.push({
            path,
            line: lineAt(node.range?.[0]),
            message: describeSubstitutionProblem(problem),
            rule: 'env-substitution',
          });
        }
        return;
      }
      if (!result.changed) return;
      node.value = node.type === 'PLAIN' ? reinterpretPlain(result.value) : result.value;
    },
  });
  return issues;
}

/** Converts the document to plain data; aliases that expand too far are a config issue. */
function toData(doc: Document, issues: ConfigIssue[]): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    issues.push({
      path: '',
      line: 1,
      message: `YAML aliases expand too far (${(error as Error).message}); a config needs no more than ${MAX_ALIAS_COUNT} alias uses — write the values out`,
      rule: 'yaml-syntax',
    });
    return undefined;
  }
}

/** Alias uses allowed while converting a document ("billion laughs" protection). */
const MAX_ALIAS_COUNT = 1000;

/** An unquoted `${PORT}` that becomes `8080` is a number, as if written unquoted. */
function reinterpretPlain(value: string): string | number | boolean {
  if (/^-?\d+(\.\d+)?$/.test(value) && !/^\d{12}$/.test(value)) return Number(value);
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}

function pathOf(ancestors: readonly unknown[], target: unknown): string {
  const parts: string[] = [];
  let child: unknown = target;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const node = ancestors[i];
    if (isPair(node) && isScalar(node.key)) parts.unshift(String(node.key.value));
    if (isSeq(node)) parts.unshift(`[${node.items.indexOf(child)}]`);
    child = node;
  }
  return parts.join('.').replace(/\.\[/g, '[');
}

function isNodeWithRange(node: unknown): node is Node {
  return typeof node === 'object' && node !== null && 'range' in node;
}
