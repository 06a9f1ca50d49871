import type { JsonObject } from '../../core/json.js';
import type { Document } from './sharded-document.js';

/** Generations: each entry's hash and the KV v2 version that holds it. */
const FORMAT = 'secretsync-bundle-index/v2';
/** Before generations: hashes only (read, never written). */
const LEGACY_FORMAT = 'secretsync-bundle-index/v1';

/** One bundle entry as a generation names it. */
export interface IndexedEntry {
  readonly hash: string;
  readonly version: number;
}

/** A generation of a target's bundle: its number and every entry's hash and KV version. */
export interface BundleGeneration {
  readonly kind: 'generation';
  readonly generation: number;
  readonly entries: ReadonlyMap<string, IndexedEntry>;
}

/** An index written before generations: a hash per entry, no versions. */
export interface LegacyIndex {
  readonly kind: 'legacy';
  readonly hashes: ReadonlyMap<string, string>;
}

/** A stored index decoded, or why it cannot be used. */
export type DecodedIndex = BundleGeneration | LegacyIndex | { readonly problem: string };

/** Decodes a stored bundle index document. */
export function decodeBundleIndex(document: Document): DecodedIndex {
  if (document.meta.format === LEGACY_FORMAT) {
    const hashes = new Map<string, string>();
    for (const [path, hash] of document.entries) {
      if (typeof hash !== 'string') return { problem: `malformed entry for "${path}"` };
      hashes.set(path, hash);
    }
    return { kind: 'legacy', hashes };
  }
  if (document.meta.format !== FORMAT) return { problem: 'unknown format' };
  const generation = document.meta.generation;
  if (typeof generation !== 'number' || !Number.isSafeInteger(generation) || generation < 1)
    return { problem: 'no generation number' };
  const entries = new Map<string, IndexedEntry>();
  for (const [path, value] of document.entries) {
    const entry = entryOf(value);
    if (entry === undefined) return { problem: `malformed entry for "${path}"` };
    entries.set(path, entry);
  }
  return { kind: 'generation', generation, entries };
}

/** The document that stores a generation. */
export function encodeGeneration(
  generation: number,
  entries: ReadonlyMap<string, IndexedEntry>,
): Document {
  return {
    meta: { format: FORMAT, generation },
    entries: new Map(
      [...entries].map(([path, entry]) => [path, { hash: entry.hash, version: entry.version }]),
    ),
  };
}

/** The generation id of a bundle indexed before generations. */
export const LEGACY_GENERATION = 'legacy';

/** The generation id an index head's metadata names; undefined when there is no usable index. */
export function generationOfMeta(meta: JsonObject | undefined): string | undefined {
  if (meta?.format === LEGACY_FORMAT) return LEGACY_GENERATION;
  if (meta?.format !== FORMAT) return undefined;
  return typeof meta.generation === 'number' ? String(meta.generation) : undefined;
}

/** True when two generations name the same entries at the same versions. */
export function sameEntries(
  a: ReadonlyMap<string, IndexedEntry>,
  b: ReadonlyMap<string, IndexedEntry>,
): boolean {
  if (a.size !== b.size) return false;
  for (const [path, entry] of a) {
    const other = b.get(path);
    if (other?.hash !== entry.hash || other.version !== entry.version) return false;
  }
  return true;
}

function entryOf(value: unknown): IndexedEntry | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { hash, version } = value as Record<string, unknown>;
  if (typeof hash !== 'string' || typeof version !== 'number' || !Number.isSafeInteger(version))
    return undefined;
  return { hash, version };
}
