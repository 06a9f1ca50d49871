import { z } from 'zod';
import { InternalError } from '../core/errors.js';
import { ANY_NAME, DEFAULTS } from './defaults.js';
import { configFileSchema } from './schema.js';

/** Where the committed JSON Schema lives, relative to the repository root. */
export const JSON_SCHEMA_PATH = 'schema/secretsync.schema.json';

/** A JSON Schema node, as far as placing defaults needs it. */
type SchemaNode = Record<string, unknown>;

/**
 * The JSON Schema of the config file, generated from the zod schema with every default of
 * {@link DEFAULTS}, as stable text. Draft-07, the newest draft the YAML language server fully
 * supports.
 */
export function renderConfigJsonSchema(): string {
  const schema: SchemaNode = z.toJSONSchema(configFileSchema, {
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'any',
  });
  placeDefaults(schema, DEFAULTS, schema, '');
  const document = { ...schema, title: 'SecretSync configuration' };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Sets `default` on the node of every leaf of `defaults`; a key the schema lacks is a bug. */
function placeDefaults(node: SchemaNode, defaults: object, root: SchemaNode, path: string): void {
  for (const [key, value] of Object.entries(defaults)) {
    const where = path === '' ? key : `${path}.${key}`;
    const child = childOf(resolve(node, root), key);
    if (child === undefined)
      throw new InternalError(`the defaults table names ${where}, which the config schema lacks`);
    if (isNested(value)) placeDefaults(child, value, root, where);
    else child.default = value;
  }
}

/** A non-empty, non-list object of the table is a level of keys; anything else is a default. */
function isNested(value: unknown): value is object {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0
  );
}

/** The schema of `key` below `node`: a property (of any union branch) or, for `<name>`, a map value. */
function childOf(node: SchemaNode, key: string): SchemaNode | undefined {
  if (key === ANY_NAME) return asNode(node.additionalProperties);
  const property = asNode(asNode(node.properties)?.[key]);
  if (property !== undefined) return property;
  const branches = Array.isArray(node.anyOf) ? node.anyOf : [];
  return branches.map((branch) => childOf(asNode(branch) ?? {}, key)).find((found) => found);
}

/** The node a `$ref` points at (recursive shapes are emitted as definitions). */
function resolve(node: SchemaNode, root: SchemaNode): SchemaNode {
  if (typeof node.$ref !== 'string') return node;
  const name = node.$ref.split('/').at(-1) ?? '';
  return asNode(asNode(root.definitions)?.[name]) ?? node;
}

function asNode(value: unknown): SchemaNode | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as SchemaNode)
    : undefined;
}
