import type { ApiMethod } from './api-request.js';
import type { Capability } from './policy.js';
import { badRequest, notFound, replyEnvelope } from './responses.js';
import type { Reply } from './responses.js';

/** The capability Vault's ACL checks for a method on a path without an existence check. */
export function capabilityFor(method: ApiMethod): Capability {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return 'read';
    case 'LIST':
      return 'list';
    case 'POST':
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
  }
}

/** A listed folder with exactly one trailing slash ('' stays the root): `a/b` → `a/b/`. */
export function folderOf(path: string): string {
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

/** LIST answer: `data.keys`, or 404 `{"errors":[]}` for an empty or missing folder. */
export function listReply(keys: readonly string[] | undefined): Reply {
  if (keys === undefined || keys.length === 0) throw notFound();
  return replyEnvelope({ data: { keys } });
}

/** A secret's path for a write: not empty and not a folder. */
export function requireKey(key: string): string {
  if (key === '') throw badRequest('missing path');
  if (key.endsWith('/')) throw badRequest(`invalid path "${key}": a secret cannot end with "/"`);
  return key;
}
