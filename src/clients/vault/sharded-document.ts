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

/** Parts named by their digest (written since generations); v1 named them by position. */
const FORMAT = 'secretsync-sharded/v2';
const LEGACY_FORMAT = 'secretsync-sharded/v1';

const headSchema = z.object({
  format: z.enum([FORMAT, LEGACY_FORMAT]),
  meta: z.custom<JsonObject>(isJsonObject, { error: 'expected a JSON object' }),
  digests: z.array(z.string()),
});
const partSchema = z.object({
  entries: z.custom<JsonObject>(isJsonObject, { error: 'expected a JSON object' }),
});

type Head = z.infer<typeof headSchema>;

/** Why a stored document could not be used. */
export class UnusableDocument extends DataError {}

/** A document: a little metadata and a large map of entries. */
export interface Document {
  readonly meta: JsonObject;
  readonly entries: ReadonlyMap<string, JsonValue>;
}

/** What this process knows of a stored head: its text, part names and KV version (0: absent). */
interface KnownHead {
  readonly head: string | undefined;
  readonly parts: readonly string[];
  readonly version: number;
}

/**
 * A JSON map too large for one KV entry, kept as `<folder>/head` plus `<folder>/part-<digest>`
 * entries (names sorted, split every {@link ENTRIES_PER_PART}). A write stores the parts it
 * lacks, then the head (one KV secret, so the switch is atomic), then removes the parts only the
 * old head named: a write cut short leaves the old document whole. The head is written with
 * `cas` against the version this process read, so two writers cannot both win; the loser's write
 * fails with the outcome `conflict`. Needs a KV v2 mount.
 */
export class ShardedDocument {
  private readonly known = new Map<string, KnownHead>();

  constructor(
    private readonly location: () => Promise<KvLocation>,
    private readonly concurrency: number,
  ) {}

  /**
   * The stored map, or undefined when none is stored. Throws {@link UnusableDocument} when the
   * stored parts do not match the head.
   */
  async read(folder: string): Promise<Document | undefined> {
    const { client, base } = await this.place(folder);
    const head = await this.readHead(folder);
    if (head === undefined) return undefined;
    const names = partNames(head);
    const parts = await mapLimit(names, this.concurrency, (name) =>
      client.read(joinPath(base, name)),
    );
    const entries = new Map<string, JsonValue>();
    parts.forEach((data, index) => {
      const part = partSchema.safeParse(data);
      if (!part.success || digestOf(part.data.entries) !== head.digests[index])
        throw new UnusableDocument(
          `${base}/${names[index] ?? ''} does not match its head (it was edited or removed)`,
        );
      for (const [key, value] of Object.entries(part.data.entries)) entries.set(key, value);
    });
    return { meta: head.meta, entries };
  }

  /** The stored head's metadata alone (one read), or undefined when none is stored. */
  async readMeta(folder: string): Promise<JsonObject | undefined> {
    return (await this.readHead(folder))?.meta;
  }

  /**
   * Stores the map: missing parts, then the head (with `cas` when this process read the folder),
   * then removes parts the old head alone named.
   */
  async write(folder: string, document: Document): Promise<void> {
    const { client, base } = await this.place(folder);
    const parts = partsOf(document.entries);
    const head: Head = { format: FORMAT, meta: document.meta, digests: parts.map(digestOf) };
    const known = this.known.get(folder);
    if (known?.head === canonicalJson(head)) return;
    const before = new Set(known?.parts ?? []);
    const names = partNames(head);
    await mapLimit(parts, this.concurrency, async (part, index) => {
      const name = names[index] ?? '';
      if (!before.has(name)) await client.write(joinPath(base, name), { entries: part });
    });
    const version = await client.write(joinPath(base, 'head'), head, known?.version);
    this.known.set(folder, { head: canonicalJson(head), parts: names, version: version ?? 0 });
    const kept = new Set(names);
    for (const name of before) if (!kept.has(name)) await client.remove(joinPath(base, name));
  }

  private async readHead(folder: string): Promise<Head | undefined> {
    const { client, base } = await this.place(folder);
    const stored = await client.readVersion(joinPath(base, 'head'));
    if (stored?.data === undefined) {
      this.known.set(folder, { head: undefined, parts: [], version: stored?.version ?? 0 });
      return undefined;
    }
    const head = headSchema.safeParse(stored.data);
    if (!head.success) throw new UnusableDocument(`${base}/head is not a SecretSync document head`);
    this.known.set(folder, {
      head: canonicalJson(head.data),
      parts: partNames(head.data),
      version: stored.version,
    });
    return head.data;
  }

  private async place(folder: string): Promise<{ client: KvLocation['client']; base: string }> {
    const { client, folder: root } = await this.location();
    return { client, base: joinPath(root, folder) };
  }
}

/** The entries split into parts of {@link ENTRIES_PER_PART}, by sorted name; at least one. */
function partsOf(entries: ReadonlyMap<string, JsonValue>): JsonObject[] {
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
  return parts;
}

/** The KV names of a head's parts, in order. */
function partNames(head: Head): string[] {
  return head.digests.map((digest, index) =>
    head.format === LEGACY_FORMAT ? `part-${index}` : `part-${digest.slice(0, 32)}`,
  );
}

function digestOf(entries: JsonObject): string {
  return createHash('sha256').update(canonicalJson(entries), 'utf8').digest('hex');
}
