import { z } from 'zod';
import type { ApiRequest } from './api-request.js';
import { capabilityFor, folderOf, listReply, requireKey } from './kv-paths.js';
import { formatGoDuration, parseDurationSeconds } from './clock.js';
import type { KvKey, KvV2Store, KvVersion } from './kv-store.js';
import { optionalParam, parseWith } from './request-body.js';
import {
  NO_CONTENT,
  badRequest,
  notFound,
  replyEnvelope,
  unsupportedOperation,
} from './responses.js';
import type { JsonRecord, Reply } from './responses.js';

const casSchema = z.coerce.number().int().min(0);

const writeBody = z.looseObject({
  data: z.record(z.string(), z.unknown()),
  options: z.looseObject({ cas: casSchema.optional() }).nullish(),
});

const durationSchema = z.union([z.string(), z.number()]).transform((value, context) => {
  const seconds = parseDurationSeconds(value);
  if (seconds === undefined) context.addIssue({ code: 'custom', message: 'invalid duration' });
  return formatGoDuration(seconds ?? 0);
});

const configBody = z.looseObject({
  max_versions: optionalParam(z.coerce.number().int().min(0)),
  cas_required: optionalParam(z.boolean()),
  delete_version_after: optionalParam(durationSchema),
});

const metadataBody = configBody.extend({
  custom_metadata: optionalParam(z.record(z.string(), z.string())),
});

/** Vault's TypeCommaIntSlice: `[1, 2]`, `["1"]` or `"1,2"`. */
const versionsBody = z.looseObject({
  versions: z
    .preprocess(
      (value) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value),
      z.array(casSchema),
    )
    .optional(),
});

/** Routes a request inside a KV version 2 mount (`rest` = the path after the mount). */
export async function handleKvV2(
  req: ApiRequest,
  mountPath: string,
  store: KvV2Store,
  rest: string,
): Promise<Reply> {
  const slash = rest.indexOf('/');
  const head = slash === -1 ? rest : rest.slice(0, slash);
  const key = slash === -1 ? '' : rest.slice(slash + 1);
  const acl = `${mountPath}${rest}`;
  switch (head) {
    case 'data':
      return dataRoute(req, store, key, acl);
    case 'metadata':
      return metadataRoute(req, store, key, acl);
    case 'delete':
    case 'undelete':
    case 'destroy':
      return versionsRoute(req, store, head, key, acl);
    case 'config':
      if (key === '') return configRoute(req, store, acl);
      break;
    default:
      break;
  }
  req.authorize(capabilityFor(req.method), acl);
  // Vault 1.14's KV v2 answers a path outside its endpoints with a 404 envelope and a warning.
  return replyEnvelope({ data: null, warnings: [KV2_INVALID_PATH] }, 404);
}

/** The warning of a KV v2 mount for a path none of its endpoints has. */
const KV2_INVALID_PATH =
  "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.";

async function dataRoute(req: ApiRequest, store: KvV2Store, key: string, acl: string) {
  switch (req.method) {
    case 'GET':
      req.authorize('read', acl);
      return readData(store, key, versionParam(req.query));
    case 'POST':
    case 'PUT': {
      req.authorize(store.key(key) === undefined ? 'create' : 'update', acl);
      const body = await req.body();
      if (typeof body !== 'object' || body === null || !('data' in body)) {
        throw badRequest('no data provided');
      }
      const parsed = parseWith(writeBody, body);
      const written = store.write(requireKey(key), parsed.data, parsed.options?.cas);
      const meta = store.key(key)?.customMetadata ?? null;
      return replyEnvelope({ data: versionMetadata(written.entry, written.version, meta) });
    }
    case 'DELETE':
      req.authorize('delete', acl);
      store.deleteLatest(key);
      return NO_CONTENT;
    case 'HEAD':
    case 'LIST':
    case 'PATCH':
      req.authorize(capabilityFor(req.method), acl);
      throw unsupportedOperation();
  }
}

function readData(store: KvV2Store, key: string, version: number | undefined): Reply {
  const found = store.read(key, version);
  if (found.state === 'absent') throw notFound();
  const metadata = versionMetadata(found.entry, found.version, found.key.customMetadata);
  // Vault answers a deleted or destroyed version with 404 but still sends the envelope.
  if (found.state === 'live') return replyEnvelope({ data: { data: found.entry.data, metadata } });
  return replyEnvelope({ data: { data: null, metadata } }, 404);
}

async function metadataRoute(req: ApiRequest, store: KvV2Store, key: string, acl: string) {
  switch (req.method) {
    case 'LIST': {
      req.authorize('list', folderOf(acl));
      return listReply(store.list(folderOf(key)));
    }
    case 'GET': {
      req.authorize('read', acl);
      const found = store.key(key);
      if (found === undefined) throw notFound();
      return replyEnvelope({ data: metadataData(found) });
    }
    case 'POST':
    case 'PUT': {
      req.authorize(store.key(key) === undefined ? 'create' : 'update', acl);
      const body = parseWith(metadataBody, await req.body());
      store.writeMetadata(requireKey(key), {
        maxVersions: body.max_versions,
        casRequired: body.cas_required,
        deleteVersionAfter: body.delete_version_after,
        customMetadata: body.custom_metadata,
      });
      return NO_CONTENT;
    }
    case 'DELETE':
      req.authorize('delete', acl);
      store.deleteMetadata(key);
      return NO_CONTENT;
    case 'HEAD':
    case 'PATCH':
      req.authorize(capabilityFor(req.method), acl);
      throw unsupportedOperation();
  }
}

async function versionsRoute(
  req: ApiRequest,
  store: KvV2Store,
  action: 'delete' | 'undelete' | 'destroy',
  key: string,
  acl: string,
): Promise<Reply> {
  req.authorize(capabilityFor(req.method), acl);
  if (req.method !== 'POST' && req.method !== 'PUT') throw unsupportedOperation();
  const versions = parseWith(versionsBody, await req.body()).versions ?? [];
  if (versions.length === 0) throw badRequest('no version number provided');
  if (action === 'delete') store.deleteVersions(requireKey(key), versions);
  else if (action === 'undelete') store.undelete(requireKey(key), versions);
  else store.destroy(requireKey(key), versions);
  return NO_CONTENT;
}

async function configRoute(req: ApiRequest, store: KvV2Store, acl: string): Promise<Reply> {
  req.authorize(capabilityFor(req.method), acl);
  const config = store.config;
  if (req.method === 'GET') {
    return replyEnvelope({
      data: {
        cas_required: config.casRequired,
        delete_version_after: config.deleteVersionAfter,
        max_versions: config.maxVersions,
      },
    });
  }
  if (req.method !== 'POST' && req.method !== 'PUT') throw unsupportedOperation();
  const body = parseWith(configBody, await req.body());
  config.maxVersions = body.max_versions ?? config.maxVersions;
  config.casRequired = body.cas_required ?? config.casRequired;
  config.deleteVersionAfter = body.delete_version_after ?? config.deleteVersionAfter;
  return NO_CONTENT;
}

function versionParam(query: URLSearchParams): number | undefined {
  const raw = query.get('version');
  if (raw === null || raw === '') return undefined;
  const parsed = casSchema.safeParse(raw);
  if (!parsed.success) throw badRequest(`error converting input ${raw} for field "version"`);
  return parsed.data;
}

/** The per-version metadata Vault returns from writes and reads. */
function versionMetadata(
  entry: KvVersion,
  version: number,
  customMetadata: Record<string, string> | null,
): JsonRecord {
  return {
    created_time: entry.createdTime,
    custom_metadata: customMetadata,
    deletion_time: entry.deletionTime,
    destroyed: entry.destroyed,
    version,
  };
}

function metadataData(key: KvKey): JsonRecord {
  const versions: Record<string, JsonRecord> = {};
  for (const [number, entry] of key.versions) {
    versions[String(number)] = {
      created_time: entry.createdTime,
      deletion_time: entry.deletionTime,
      destroyed: entry.destroyed,
    };
  }
  return {
    cas_required: key.casRequired,
    created_time: key.createdTime,
    current_version: key.currentVersion,
    custom_metadata: key.customMetadata,
    delete_version_after: key.deleteVersionAfter,
    max_versions: key.maxVersions,
    oldest_version: key.oldestVersion,
    updated_time: key.updatedTime,
    versions,
  };
}
