import { createHash } from 'node:crypto';
import { canonicalJson } from './json.js';
import type { JsonObject } from './json.js';

/** The SHA-256 and UTF-8 size of a JSON object's canonical form. */
export interface JsonDigest {
  /** SHA-256 (hex) of the canonical JSON. */
  readonly hash: string;
  /** Size of the canonical JSON in bytes. */
  readonly bytes: number;
}

// Bundles are immutable and share their objects between the merge store, planning and the sync
// record, so each object is serialized and hashed once per run, not once per use.
const digests = new WeakMap<JsonObject, JsonDigest>();

/** SHA-256 (hex) of a canonical JSON payload. */
export function payloadHash(payload: string): string {
  return createHash('sha256').update(payload, 'utf8').digest('hex');
}

/** The digest of a secret's value, computed once per object. */
export function digestJson(value: JsonObject): JsonDigest {
  let digest = digests.get(value);
  if (digest === undefined) {
    const payload = canonicalJson(value);
    digest = { hash: payloadHash(payload), bytes: Buffer.byteLength(payload, 'utf8') };
    digests.set(value, digest);
  }
  return digest;
}
