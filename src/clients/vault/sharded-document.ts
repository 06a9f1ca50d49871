import { createHash } from 'node:crypto';
import { z } from 'zod';
import { mapLimit } from '../../core/concurrency.js';
import { DataError } from '../../core/errors.js';
import { canonicalJson, isJsonObject } from '../../core/json.js';
import type { JsonObject, JsonValue } from '../../core/json.js';
import { joinPath } from '../../core/secret-path.js';
import type { KvLocation } from './vault-connections.js';

/** Entries per part: a part of 1,500 record entries stays well under Consul's 512 KB value limit. */
export const ENTRIES_PER_PART = 1_500;

const FORMAT = 'secretsync-sharded/v1';

const headSchema = z.object({
  format: z.literal(FORMAT),
  meta: z.custom<JsonObject>(isJsonObject, { error: 'expected a JSON object' }),
  digests: z.array(z.string()),
});
const partSchema = z.object({
  entries: z.custom<JsonObject>(isJsonObject, { error: 'expected a JSON object' }),
});

/** Why a stored document could not be used. */
export class UnusableDocument extends DataError {}

/** A document: a little metadata and a large map of entries. */
export interface Document {
  readonly meta: JsonObject;
  readonly entries: ReadonlyMap<string, JsonValue>;
}

/**
 * A JSON map too large for one KV entry, kept as `<folder>/head` plus `<folder>/part-<n>`
 * entries (names sorted, split every {@link ENTRIES_PER_PART}). The head, written last, holds
 * a digest of every part, so a write cut short leaves a document that reads as unusable rather
 * than as a mix of old and new. Only parts whose content changed are rewritten.
 */
export class ShardedDocument {
  /** Per folder, the stored head (canonical JSON, undefined once removed) and part digests. */
  private readonly known = new Map<
    string,
    { head: string | undefined; digests: readonly string[] }
  >();

  constructor(
    private readonly location: () => Promise<KvLocation>,
    private readonly concurrency: number,
  ) {}

  /**
   * The stored map, or undefined when none is stored. Throws {@link UnusableDocument} when the
   * stored parts do not match the head.
   */
  async read(folder: string): Promise<Document | undefined> {
    const { client, folder: root } = await this.location();
    const base = joinPath(root, folder);
    const headData = await client.read(joinPath(base, 'head'));
    if (headData === undefined) return undefined;
    const head = headSchema.safeParse(headData);
    if (!head.success) throw new UnusableDocument(`${base}/head is not a SecretSync document head`);
    const parts = await mapLimit(head.data.digests, this.concurrency, (_, index) =>
      client.read(joinPath(base, `part-${index}`)),
    );
    const entries = new Map<string, JsonValue>();
    parts.forEach((data, index) => {
      const part = partSchema.safeParse(data);
      if (!part.success || digestOf(part.data.entries) !== head.data.digests[index])
        throw new UnusableDocument(
          `${base}/part-${index} does not match its head (a write was cut short or it was edited)`,
        );
      for (const [key, value] of Object.entries(part.data.entries)) entries.set(key, value);
    });
    this.known.set(folder, { head: canonicalJson(head.data), digests: head.data.digests });
    return { meta: head.data.meta, entries };
  }

  /** Stores the map: changed parts first, then the head; surplus parts are removed last. */
  async write(folder: string, document: Document): Promise<void> {
    const { entries } = document;
    const { client, folder: root } = await this.location();
    const base = joinPath(root, folder);
    const names = [...entries.keys()].sort();
    const parts: JsonObject[] = [];
    for (let start = 0; start < names.length || start === 0; start += ENTRIES_PER_PART) {
      parts.push(
        Object.fromEntries(
          names
            .slice(start, start + ENTRIES_PER_PART)
            .map((name) => [name, entries.get(name) ?? null]),
        ),
      );
    }
    const head = { format: FORMAT, meta: document.meta, digests: parts.map(digestOf) };
    const known = this.known.get(folder);
    if (known?.head === canonicalJson(head)) return;
    const before = known?.digests ?? [];
    await mapLimit(parts, this.concurrency, async (part, index) => {
      if (before[index] !== head.digests[index])
        await client.write(joinPath(base, `part-${index}`), { entries: part });
    });
    await client.write(joinPath(base, 'head'), head);
    this.known.set(folder, { head: canonicalJson(head), digests: head.digests });
    for (let index = parts.length; index < before.length; index++)
      await client.remove(joinPath(base, `part-${index}`));
  }

  /** Removes the head, so the document reads as absent until the next write. */
  async invalidate(folder: string): Promise<void> {
    const { client, folder: root } = await this.location();
    await client.remove(joinPath(joinPath(root, folder), 'head'));
    this.known.set(folder, { head: undefined, digests: this.known.get(folder)?.digests ?? [] });
  }
}

function digestOf(entries: JsonObject): string {
  return createHash('sha256').update(canonicalJson(entries), 'utf8').digest('hex');
}
