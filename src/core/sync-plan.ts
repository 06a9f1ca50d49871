import { checkSecretName } from './aws-formats.js';
import { diffKeys, isUnchanged } from './diff.js';
import type { KeyChanges } from './diff.js';
import { canonicalJson, isJsonObject } from './json.js';
import type { Bundle, JsonObject } from './json.js';
import { digestJson } from './json-digest.js';
import { checkDepth } from './json-depth.js';
import type { ListedVersion } from './sync-record.js';

/** Largest SecretString Secrets Manager stores, in bytes. */
export const MAX_SECRET_BYTES = 65_536;
/** Tag keys SecretSync puts on every secret it creates; ownership is decided by them. */
export const MANAGED_BY_TAG = 'secretsync:managed-by';
/** Tag naming the target that owns a secret. */
export const TARGET_TAG = 'secretsync:target';

/** What to do with one secret. */
export type SecretActionKind = 'create' | 'update' | 'restore' | 'tag' | 'delete' | 'unchanged';

/** Tags to add or change, and SecretSync tag keys to remove. */
export interface TagChanges {
  readonly set: Readonly<Record<string, string>>;
  readonly remove: readonly string[];
}

/** One secret's planned action — names and key names only, never values. */
export interface PlannedSecret {
  readonly name: string;
  /** Relative path in the bundle; undefined for orphans. */
  readonly path: string | undefined;
  readonly action: SecretActionKind;
  readonly arn: string | undefined;
  readonly keys: KeyChanges;
  readonly tags: TagChanges;
  /** Description or KMS key to set with UpdateSecret, when they differ. */
  readonly metadata: { readonly description?: string; readonly kmsKeyId?: string } | undefined;
}

/** A secret that cannot be synced, with the reason and the fix; the rest continue. */
export interface SecretFailure {
  readonly name: string;
  readonly path: string | undefined;
  readonly reason: string;
}

/** A secret as the account lists it (with its current version, when listed). */
export interface ExistingSecret extends ListedVersion {
  readonly name: string;
  readonly arn: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly deleted: boolean;
  readonly description: string | undefined;
  readonly kmsKeyId: string | undefined;
}

/** What planning needs of a target's settings: where and how it writes (not the plan itself). */
export interface TargetSettings {
  readonly name: string;
  readonly secretPrefix: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly description: string | undefined;
  readonly kmsKeyId: string | undefined;
  readonly deleteOrphans: boolean;
}

/** The plan of one target: actions, failures, and the values apply will write. */
export interface SecretPlan {
  readonly secrets: readonly PlannedSecret[];
  readonly failures: readonly SecretFailure[];
  /** Orphans (owned by the target, no longer wanted) left in place because delete_orphans is off. */
  readonly keptOrphans: readonly string[];
  /** Canonical JSON per secret name to create/update/restore. Never reported or logged. */
  readonly payloads: ReadonlyMap<string, string>;
  /** Hash of every desired secret's canonical JSON, by name, for the sync record. */
  readonly hashes: ReadonlyMap<string, string>;
}

/** What is known of the values an account holds now. */
export interface CurrentValues {
  /** Values read from the account, by secret name. */
  readonly values: ReadonlyMap<string, string>;
  /** Secrets the sync record shows to hold the desired value already (not read). */
  readonly verified: ReadonlySet<string>;
}

/**
 * Plans one target: compares the desired bundle with what the account holds (listing plus the
 * current values of owned secrets, read or verified by the sync record) and decides create / update / restore / tag / delete /
 * unchanged per secret. Pure; the adapter does the reading and the writing.
 */
export function planSecrets(
  target: TargetSettings,
  desired: Bundle,
  existing: readonly ExistingSecret[],
  current: CurrentValues,
): SecretPlan {
  const byName = new Map(existing.map((secret) => [secret.name, secret]));
  const wantedTags = { ...target.tags, [MANAGED_BY_TAG]: 'secretsync', [TARGET_TAG]: target.name };
  const secrets: PlannedSecret[] = [];
  const failures: SecretFailure[] = [];
  const payloads = new Map<string, string>();
  const hashes = new Map<string, string>();
  const desiredNames = new Set<string>();
  for (const [path, value] of desired) {
    const name = `${target.secretPrefix}${path}`;
    desiredNames.add(name);
    // Depth first: a value too deep to sync fails here, by name, before anything walks it.
    const problem =
      checkSecretName(name) ?? checkDepth(value) ?? checkSize(digestJson(value).bytes);
    if (problem !== undefined) {
      failures.push({ name, path, reason: problem });
      continue;
    }
    hashes.set(name, digestJson(value).hash);
    const decision = decide(target, name, path, value, byName.get(name), wantedTags, {
      text: current.values.get(name),
      verified: current.verified.has(name),
    });
    if ('reason' in decision) failures.push(decision);
    else {
      secrets.push(decision);
      if (
        decision.action === 'create' ||
        decision.action === 'update' ||
        decision.action === 'restore'
      )
        payloads.set(name, canonicalJson(value));
    }
  }
  const { deletes, keptOrphans } = planOrphans(target, existing, desiredNames);
  secrets.push(...deletes);
  secrets.sort(compareByName);
  failures.sort(compareByName);
  return { secrets, failures, keptOrphans, payloads, hashes };
}

/** Orders secrets, failures and changes by name (code-unit order, as AWS lists). */
export function compareByName(a: { readonly name: string }, b: { readonly name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function decide(
  target: TargetSettings,
  name: string,
  path: string,
  value: JsonObject,
  current: ExistingSecret | undefined,
  wantedTags: Record<string, string>,
  known: { readonly text: string | undefined; readonly verified: boolean },
): PlannedSecret | SecretFailure {
  const noKeys: KeyChanges = { added: [], removed: [], changed: [] };
  if (current === undefined) {
    return {
      name,
      path,
      action: 'create',
      arn: undefined,
      keys: diffKeys(undefined, value),
      tags: { set: wantedTags, remove: [] },
      metadata: undefined,
    };
  }
  if (current.tags[MANAGED_BY_TAG] !== 'secretsync' || current.tags[TARGET_TAG] !== target.name) {
    const owner = current.tags[TARGET_TAG];
    const whose =
      current.tags[MANAGED_BY_TAG] === 'secretsync' && owner !== undefined
        ? `belongs to SecretSync target "${owner}"`
        : 'was not created by SecretSync';
    return {
      name,
      path,
      reason: `secret already exists and ${whose}; SecretSync will not overwrite it. Remove it, or tag it ${MANAGED_BY_TAG}=secretsync and ${TARGET_TAG}=${target.name} to hand it over`,
    };
  }
  const tags = tagChanges(current.tags, wantedTags);
  const metadata = metadataChanges(target, current);
  if (current.deleted) {
    return {
      name,
      path,
      action: 'restore',
      arn: current.arn,
      keys: diffKeys(undefined, value),
      tags,
      metadata,
    };
  }
  const before = known.verified ? value : parseObject(known.text);
  const keys =
    before === undefined
      ? { ...noKeys, changed: Object.keys(value).sort() }
      : diffKeys(before, value);
  const tagsOrMetadata =
    Object.keys(tags.set).length > 0 || tags.remove.length > 0 || metadata !== undefined;
  const action =
    before !== undefined && isUnchanged(keys) ? (tagsOrMetadata ? 'tag' : 'unchanged') : 'update';
  return { name, path, action, arn: current.arn, keys, tags, metadata };
}

/** Orphans to delete with delete_orphans, else to keep (and report as kept). */
function planOrphans(
  target: TargetSettings,
  existing: readonly ExistingSecret[],
  desired: ReadonlySet<string>,
): { deletes: PlannedSecret[]; keptOrphans: string[] } {
  const orphaned = orphans(target, existing, desired);
  return target.deleteOrphans
    ? { deletes: orphaned, keptOrphans: [] }
    : { deletes: [], keptOrphans: orphaned.map((secret) => secret.name).sort() };
}

function orphans(
  target: TargetSettings,
  existing: readonly ExistingSecret[],
  desired: ReadonlySet<string>,
): PlannedSecret[] {
  return existing
    .filter(
      (secret) =>
        !secret.deleted && !desired.has(secret.name) && secret.name.startsWith(target.secretPrefix),
    )
    .filter(
      (secret) =>
        secret.tags[MANAGED_BY_TAG] === 'secretsync' && secret.tags[TARGET_TAG] === target.name,
    )
    .map((secret) => ({
      name: secret.name,
      path: undefined,
      action: 'delete',
      arn: secret.arn,
      keys: { added: [], removed: [], changed: [] },
      tags: { set: {}, remove: [] },
      metadata: undefined,
    }));
}

function tagChanges(
  current: Readonly<Record<string, string>>,
  wanted: Readonly<Record<string, string>>,
): TagChanges {
  const set = Object.fromEntries(
    Object.entries(wanted).filter(([key, value]) => current[key] !== value),
  );
  // Only SecretSync's own tag keys are ever removed; tags others added stay.
  const remove = Object.keys(current).filter(
    (key) => key.startsWith('secretsync:') && !(key in wanted),
  );
  return { set, remove: remove.sort() };
}

function metadataChanges(
  target: TargetSettings,
  current: ExistingSecret,
): PlannedSecret['metadata'] {
  const description =
    target.description !== undefined && target.description !== current.description
      ? target.description
      : undefined;
  const kmsKeyId =
    target.kmsKeyId !== undefined && target.kmsKeyId !== current.kmsKeyId
      ? target.kmsKeyId
      : undefined;
  if (description === undefined && kmsKeyId === undefined) return undefined;
  return {
    ...(description === undefined ? {} : { description }),
    ...(kmsKeyId === undefined ? {} : { kmsKeyId }),
  };
}

function checkSize(bytes: number): string | undefined {
  return bytes > MAX_SECRET_BYTES
    ? `value is ${bytes} bytes as JSON; Secrets Manager stores at most ${MAX_SECRET_BYTES} bytes: split the secret in Vault`
    : undefined;
}

function parseObject(text: string | undefined): JsonObject | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
