import { z } from 'zod';
import type { ApiRequest } from './api-request.js';
import { capabilityFor, folderOf, listReply, requireKey } from './kv-paths.js';
import type { KvV1Store } from './kv-store.js';
import { parseWith } from './request-body.js';
import { NO_CONTENT, notFound, replyEnvelope, unsupportedOperation } from './responses.js';
import type { Reply } from './responses.js';

const secretBody = z.record(z.string(), z.unknown());

/** Routes a request inside a KV version 1 mount: the path after the mount is the key. */
export async function handleKvV1(
  req: ApiRequest,
  mountPath: string,
  store: KvV1Store,
  key: string,
): Promise<Reply> {
  const acl = `${mountPath}${key}`;
  switch (req.method) {
    case 'LIST':
      req.authorize('list', folderOf(acl));
      return listReply(store.list(folderOf(key)));
    case 'GET': {
      req.authorize('read', acl);
      const value = store.read(key);
      if (value === undefined) throw notFound();
      return replyEnvelope({ data: value });
    }
    case 'POST':
    case 'PUT': {
      req.authorize(store.read(key) === undefined ? 'create' : 'update', acl);
      const body = parseWith(secretBody, await req.body());
      store.write(requireKey(key), body);
      return NO_CONTENT;
    }
    case 'DELETE':
      req.authorize('delete', acl);
      store.delete(key);
      return NO_CONTENT;
    case 'HEAD':
    case 'PATCH':
      req.authorize(capabilityFor(req.method), acl);
      throw unsupportedOperation();
  }
}
