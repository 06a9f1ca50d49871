import { z } from 'zod';
import { InternalError } from '../../core/errors.js';
import { isJsonObject } from '../../core/json.js';
import type { JsonObject } from '../../core/json.js';
import type { VaultHttp } from './http.js';

/** A KV mount as Vault describes it: `secret/` and its version. */
export interface KvMount {
  /** Mount path with a trailing slash, e.g. `secret/` or `team/kv/`. */
  readonly path: string;
  readonly version: 1 | 2;
}

const listBody = z.object({ data: z.object({ keys: z.array(z.string()) }) });
const jsonObject = z.custom<JsonObject>(isJsonObject, { error: 'expected a JSON object' });
const v2ReadBody = z.object({ data: z.object({ data: jsonObject.nullable() }) });
const v1ReadBody = z.object({ data: jsonObject });
const versionedBody = z.object({
  data: z.object({
    data: jsonObject.nullable(),
    metadata: z.object({ version: z.number().int() }),
  }),
});
const writtenBody = z.object({ data: z.object({ version: z.number().int() }) });

/** KV v2's answer to a `cas` that is not the current version. */
const CAS_MISMATCH = /check-and-set parameter did not match/;

/** A KV v2 secret at one version; `data` is undefined when that version is deleted or destroyed. */
export interface VersionedSecret {
  readonly data: JsonObject | undefined;
  readonly version: number;
}

/** KV operations on one mount with one token; paths are relative to the mount. */
export class KvClient {
  constructor(
    private readonly http: VaultHttp,
    readonly mount: KvMount,
    private readonly token: () => Promise<string>,
  ) {}

  /** One level of keys under `folder` (folders end with `/`); empty when the folder is absent. */
  async list(folder: string, deniedHint?: string): Promise<string[]> {
    const base = this.mount.version === 2 ? `${this.mount.path}metadata/` : this.mount.path;
    const path = `${base}${folder === '' ? '' : folder.replace(/\/?$/, '/')}`;
    const body = await this.http.request({
      method: 'GET',
      path,
      list: true,
      operation: 'vault.list',
      token: await this.token(),
      schema: listBody,
      notFoundIsAbsent: true,
      ...hint(deniedHint),
    });
    return body?.data.keys ?? [];
  }

  /** The latest version of a secret; undefined when missing, deleted or destroyed. */
  async read(path: string, deniedHint?: string): Promise<JsonObject | undefined> {
    const token = await this.token();
    if (this.mount.version === 1) {
      const body = await this.http.request({
        method: 'GET',
        path: `${this.mount.path}${path}`,
        operation: 'vault.read',
        token,
        schema: v1ReadBody,
        notFoundIsAbsent: true,
        ...hint(deniedHint),
      });
      return body?.data;
    }
    const body = await this.http.request({
      method: 'GET',
      path: `${this.mount.path}data/${path}`,
      operation: 'vault.read',
      token,
      schema: v2ReadBody,
      notFoundIsAbsent: true,
      ...hint(deniedHint),
    });
    return body?.data.data ?? undefined;
  }

  /**
   * A KV v2 secret with its version: the latest, or the version asked for. Undefined when the
   * secret (or that version) does not exist. KV v1 mounts have no versions: an internal error.
   */
  async readVersion(path: string, version?: number): Promise<VersionedSecret | undefined> {
    if (this.mount.version === 1)
      throw new InternalError(`${this.mount.path} is KV v1: it keeps no versions`);
    const body = await this.http.request({
      method: 'GET',
      path: `${this.mount.path}data/${path}`,
      ...(version === undefined ? {} : { query: { version: String(version) } }),
      operation: 'vault.read',
      token: await this.token(),
      schema: versionedBody,
      notFoundIsAbsent: true,
    });
    if (body === undefined) return undefined;
    return { data: body.data.data ?? undefined, version: body.data.metadata.version };
  }

  /**
   * Writes a secret and returns the version it became (KV v2; undefined on KV v1). With `cas`,
   * only when the current version matches (0 = only if absent); a mismatch fails with the
   * outcome `conflict`.
   */
  async write(path: string, data: JsonObject, cas?: number): Promise<number | undefined> {
    const token = await this.token();
    if (this.mount.version === 1) {
      await this.http.request({
        method: 'POST',
        path: `${this.mount.path}${path}`,
        operation: 'vault.write',
        token,
        body: data,
      });
      return undefined;
    }
    const body = cas === undefined ? { data } : { data, options: { cas } };
    const written = await this.http.request({
      method: 'POST',
      path: `${this.mount.path}data/${path}`,
      operation: 'vault.write',
      token,
      body,
      schema: writtenBody,
      conflict: CAS_MISMATCH,
    });
    return written?.data.version;
  }

  /** Removes a secret completely (KV v2: every version and its metadata). */
  async remove(path: string): Promise<void> {
    const target =
      this.mount.version === 2 ? `${this.mount.path}metadata/${path}` : `${this.mount.path}${path}`;
    await this.http.request({
      method: 'DELETE',
      path: target,
      operation: 'vault.delete',
      token: await this.token(),
      notFoundIsAbsent: true,
    });
  }
}

function hint(deniedHint: string | undefined): { deniedHint?: string } {
  return deniedHint === undefined ? {} : { deniedHint };
}
