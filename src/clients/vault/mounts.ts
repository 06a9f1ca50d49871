import { z } from 'zod';
import { joinPath } from '../../core/secret-path.js';
import type { VaultHttp } from './http.js';
import type { KvMount } from './kv.js';
import { VaultConfigError } from './vault-config-error.js';

const mountBody = z.object({
  data: z.object({
    path: z.string(),
    type: z.string(),
    options: z.object({ version: z.string().optional() }).nullable().optional(),
  }),
});

/** Where a configured source lives: its KV mount and the folder below it. */
export interface ResolvedLocation {
  readonly mount: KvMount;
  /** Folder below the mount, without slashes at either end ('' = the mount root). */
  readonly folder: string;
}

/**
 * Finds the KV mount containing `path` (`analytics`, `secret/team/app`) the way the Vault CLI
 * does, through `sys/internal/ui/mounts/<path>`. A 404 there means a very old server: KV v1 at
 * the first segment.
 */
export async function resolveKvLocation(
  http: VaultHttp,
  token: string,
  configuredPath: string,
): Promise<ResolvedLocation> {
  const full = joinPath(configuredPath);
  const hintText = `no KV mount contains "${full}", or the token's policy does not allow reading sys/internal/ui/mounts/${full}: check the mount in the config (sources.<name>.vault.mount, or merge_store.vault.mount for the merge store) and the policy`;
  const body = await http.request({
    method: 'GET',
    path: `sys/internal/ui/mounts/${full}`,
    operation: 'vault.mounts',
    token,
    schema: mountBody,
    notFoundIsAbsent: true,
    deniedHint: hintText,
  });
  if (body === undefined) {
    const [first = '', ...rest] = full.split('/');
    return { mount: { path: `${first}/`, version: 1 }, folder: rest.join('/') };
  }
  const { path, type, options } = body.data;
  if (type !== 'kv' && type !== 'generic') {
    throw new VaultConfigError(
      `"${full}" is in a ${type} mount at ${path}, not a KV secrets engine`,
    );
  }
  const mountPath = path.endsWith('/') ? path : `${path}/`;
  const folder = full === mountPath.slice(0, -1) ? '' : joinPath(full.slice(mountPath.length));
  return { mount: { path: mountPath, version: options?.version === '2' ? 2 : 1 }, folder };
}
