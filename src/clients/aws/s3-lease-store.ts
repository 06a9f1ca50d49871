import { randomUUID } from 'node:crypto';
import type { Lease, LeaseStore, StoredLease } from '../../pipeline/ports.js';
import { decodeLease, encodeLease } from '../lease-codec.js';
import { canonicalJson } from '../../core/json.js';
import { replacing } from './s3-objects.js';
import type { S3Objects } from './s3-objects.js';

/** Where the S3 merge store keeps leases: its bucket and prefix. */
interface LeasePlace {
  readonly bucket: string;
  readonly prefix: string;
}

/**
 * Leases in the S3 merge store: `<prefix>.secretsync/<target>.lock.json`, written with
 * `If-None-Match: *` (a first lease) or `If-Match: <ETag>` (takeover, renewal, release).
 */
export class S3LeaseStore implements LeaseStore {
  constructor(
    private readonly objects: S3Objects,
    private readonly place: LeasePlace,
  ) {}

  async readLease(target: string): Promise<StoredLease | undefined> {
    const object = await this.objects.get(this.keyOf(target));
    if (object === undefined) return undefined;
    return { lease: decodeLease(safeJson(object.text)), token: object.etag };
  }

  writeLease(
    target: string,
    lease: Lease,
    expected: string | undefined,
  ): Promise<string | undefined> {
    // An ETag is the MD5 of the body: a unique write id keeps two equal leases from sharing one,
    // so a writer holding an old ETag can never match a newer write.
    const body = canonicalJson({ ...encodeLease(lease), write_id: randomUUID() });
    return this.objects.put(this.keyOf(target), body, replacing(expected));
  }

  describeLease(target: string): { where: string; removeWith: string } {
    const url = `s3://${this.place.bucket}/${this.keyOf(target)}`;
    return { where: url, removeWith: `aws s3 rm ${url}` };
  }

  private keyOf(target: string): string {
    return `${this.place.prefix}.secretsync/${target}.lock.json`;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
