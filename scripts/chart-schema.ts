import { z } from 'zod';
import { renderConfigJsonSchema } from '../src/config/json-schema.js';
import { CHART_DIR } from './chart-values-docs.js';
import type { ValueRow } from './chart-values-docs.js';

/** Where the generated schema lives: helm checks every install's values against it. */
export const CHART_SCHEMA_PATH = `${CHART_DIR}/values.schema.json`;

type SchemaNode = Record<string, unknown>;

const seconds = z.int().min(0);
const stringMap = z.record(z.string(), z.string());
/** A Kubernetes object passed through to the manifest: the rendered manifest is validated instead. */
const kubernetesObject = z.record(z.string(), z.unknown());

/**
 * The chart's own values, strict: a misspelt key or a wrong type fails `helm install`. `config`
 * is a placeholder here; {@link renderChartSchema} puts the config file's JSON Schema there.
 */
const chartValues = z.strictObject({
  global: kubernetesObject.optional(),
  image: z.strictObject({
    repository: z.string().min(1),
    tag: z.string(),
    digest: z.union([z.literal(''), z.string().regex(/^sha256:[0-9a-f]{64}$/)]),
    pullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']),
  }),
  imagePullSecrets: z.array(z.strictObject({ name: z.string().min(1) })),
  nameOverride: z.string(),
  fullnameOverride: z.string(),
  schedule: z
    .string()
    .regex(/^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|\S+( \S+){4})$/),
  timeZone: z.string(),
  suspend: z.boolean(),
  concurrencyPolicy: z.enum(['Allow', 'Forbid', 'Replace']),
  startingDeadlineSeconds: seconds,
  successfulJobsHistoryLimit: seconds,
  failedJobsHistoryLimit: seconds,
  backoffLimit: seconds,
  activeDeadlineSeconds: z.int().min(1),
  ttlSecondsAfterFinished: seconds,
  config: z.unknown(),
  existingConfigMap: z.string(),
  vaultKubernetesAuth: z.strictObject({
    mountToken: z.union([z.literal('auto'), z.boolean()]),
    audience: z.string(),
    expirationSeconds: z.int().min(600),
    tokenPath: z.string().regex(/^\/.*[^/]$/),
  }),
  vaultJwtAuth: z.strictObject({
    mountToken: z.union([z.literal('auto'), z.boolean()]),
    audience: z.string(),
    expirationSeconds: z.int().min(600),
    tokenPath: z.string().regex(/^\/.*[^/]$/),
  }),
  extraArgs: z.array(z.string()),
  credentials: z.strictObject({ existingSecret: z.string() }),
  env: z.array(z.object({ name: z.string().min(1) }).loose()),
  heapLimitMiB: z.int().min(0),
  serviceAccount: z.strictObject({
    create: z.boolean(),
    name: z.string(),
    annotations: stringMap,
    automountToken: z.boolean(),
  }),
  metrics: z.strictObject({
    enabled: z.boolean(),
    port: z.int().min(1).max(65_535),
    podAnnotations: z.boolean(),
    serviceMonitor: z.strictObject({
      enabled: z.boolean(),
      interval: z.string().regex(/^(\d+(ms|s|m|h))+$/),
      scrapeTimeout: z.union([z.literal(''), z.string().regex(/^(\d+(ms|s|m|h))+$/)]),
      labels: stringMap,
    }),
  }),
  podAnnotations: stringMap,
  podLabels: stringMap,
  podSecurityContext: kubernetesObject,
  securityContext: kubernetesObject,
  resources: kubernetesObject,
  nodeSelector: stringMap,
  tolerations: z.array(kubernetesObject),
  affinity: kubernetesObject,
});

/**
 * values.schema.json: the chart's values (strict), the config file's own JSON Schema under
 * `config` (its definitions moved to the root), and each key's values.yaml comment as its
 * description, so editors and `helm install` see the same rules as `secretsync validate`.
 */
export function renderChartSchema(rows: readonly ValueRow[]): string {
  const schema = z.toJSONSchema(chartValues, { target: 'draft-7', io: 'input' }) as SchemaNode;
  const config = JSON.parse(renderConfigJsonSchema()) as SchemaNode;
  const { definitions, ...configRoot } = config;
  delete configRoot.$schema;
  delete configRoot.title;
  const moved = JSON.parse(
    JSON.stringify({ configRoot, definitions: definitions ?? {} }).replaceAll(
      '"#/definitions/',
      '"#/definitions/config_',
    ),
  ) as { configRoot: SchemaNode; definitions: Record<string, unknown> };
  const properties = schema.properties as Record<string, SchemaNode>;
  properties.config = moved.configRoot;
  schema.definitions = Object.fromEntries(
    Object.entries(moved.definitions).map(([name, node]) => [`config_${name}`, node]),
  );
  for (const row of rows) {
    const node = nodeAt(schema, row.path);
    if (node !== undefined) node.description = row.description;
  }
  schema.title = 'Values of the SecretSync Helm chart';
  return `${JSON.stringify(schema, null, 2)}\n`;
}

function nodeAt(schema: SchemaNode, path: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = schema;
  for (const key of path.split('.')) {
    const properties = node?.properties as Record<string, SchemaNode> | undefined;
    node = properties?.[key];
  }
  return node;
}
