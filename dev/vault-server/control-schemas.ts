import { z } from 'zod';
import { parseDurationSeconds } from './clock.js';
import { policyRulesSchema } from './policy.js';
import { SERVER_MODES } from './server-state.js';

/** Seconds as a number, or a Vault duration string (`90s`, `1h`). */
const duration = z.union([z.number(), z.string()]).transform((value, context) => {
  const seconds = parseDurationSeconds(value);
  if (seconds === undefined) context.addIssue({ code: 'custom', message: 'invalid duration' });
  return seconds ?? 0;
});

/** `''` or `team/app` (slashes at either end are ignored). */
const namespace = z.string().default('');
const oneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** `POST /_dev/mounts`. */
export const mountRequest = z.strictObject({
  path: z.string().min(1),
  version: z.union([z.literal(1), z.literal(2)]).default(2),
  namespace,
  description: z.string().optional(),
  max_versions: z.number().int().min(0).optional(),
  cas_required: z.boolean().optional(),
});

/** `POST /_dev/secrets`: secret path (below the mount) → secret data. */
export const secretsRequest = z.strictObject({
  mount: z.string().min(1),
  namespace,
  secrets: z.record(z.string(), z.record(z.string(), z.unknown())),
});

/** `POST /_dev/policies`. */
export const policyRequest = z.strictObject({
  name: z.string().min(1),
  rules: policyRulesSchema,
});

/** `POST /_dev/tokens`. */
export const tokenRequest = z.strictObject({
  id: z.string().min(1).optional(),
  policies: z.array(z.string()).default([]),
  ttl: duration.optional(),
  max_ttl: duration.optional(),
  renewable: z.boolean().optional(),
  namespace,
  display_name: z.string().optional(),
  meta: z.record(z.string(), z.string()).optional(),
});

/** `POST /_dev/approle/roles`. */
export const appRoleRequest = z.strictObject({
  mount: z.string().min(1).default('approle'),
  namespace,
  role_name: z.string().min(1),
  role_id: z.string().min(1),
  secret_id: oneOrMany,
  policies: z.array(z.string()).default([]),
  ttl: duration.optional(),
  max_ttl: duration.optional(),
});

/** `POST /_dev/kubernetes/roles`. */
export const kubernetesRoleRequest = z.strictObject({
  mount: z.string().min(1).default('kubernetes'),
  namespace,
  role: z.string().min(1),
  jwt: oneOrMany,
  policies: z.array(z.string()).default([]),
  ttl: duration.optional(),
  max_ttl: duration.optional(),
  service_account_name: z.string().default('default'),
  service_account_namespace: z.string().default('default'),
});

/** `POST /_dev/aws/config`: the aws mount's `config/client` (enables the mount on first use). */
export const awsConfigRequest = z.strictObject({
  mount: z.string().min(1).default('aws'),
  namespace,
  sts_endpoint: z.url(),
  iam_server_id_header_value: z.string().min(1).optional(),
});

/** `POST /_dev/aws/roles`: an IAM-method role. */
export const awsRoleRequest = z.strictObject({
  mount: z.string().min(1).default('aws'),
  namespace,
  role: z.string().min(1),
  bound_iam_principal_arn: z.array(z.string().min(1)).min(1),
  policies: z.array(z.string()).default([]),
  ttl: duration.optional(),
  max_ttl: duration.optional(),
});

/** `POST /_dev/state`. */
export const stateRequest = z.strictObject({ state: z.enum(SERVER_MODES) });

/** `POST /_dev/clock`. */
export const clockRequest = z.strictObject({ advance_ms: z.number().int().min(0) });

/** `POST /_dev/namespaces`. */
export const namespaceRequest = z.strictObject({ path: z.string().min(1) });
