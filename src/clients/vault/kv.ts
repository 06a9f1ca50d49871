import { z } from 'zod';
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

  /** Writes a secret; with `cas`, only when the current version matches (0 = only if absent). */
  async write(path: string, data: JsonObject, cas?: number): Promise<void> {
    const token = await this.token();
    if (this.mount.version === 1) {
      await this.http.request({
        method: 'POST',
        path: `${this.mount.path}${path}`,
        operation: 'vault.write',
        token,
        body: data,
      });
      return;
    }
    const body = cas === undefined ? { data } : { data, options: { cas } };
    await this.http.request({
      method: 'POST',
      path: `${this.mount.path}data/${path}`,
      operation: 'vault.write',
      token,
      body,
    });
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
