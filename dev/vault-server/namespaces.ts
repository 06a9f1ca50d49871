import { randomUUID } from 'node:crypto';
import type { AuthMount } from './auth.js';
import type { Clock } from './clock.js';
import { KvV1Store, KvV2Store } from './kv-store.js';

/** Shared fields of a KV mount. */
interface MountBase {
  /** Mount path within its namespace, with a trailing slash: `secret/`, `team/kv/`. */
  readonly path: string;
  readonly accessor: string;
  readonly uuid: string;
  readonly description: string;
}

/** A KV secrets engine mount, version 1 or 2, with its data. */
export type KvMount =
  | (MountBase & { readonly version: 2; readonly store: KvV2Store })
  | (MountBase & { readonly version: 1; readonly store: KvV1Store });

/** Paths no mount may overlap: they belong to Vault itself. */
const RESERVED_PATHS: readonly string[] = ['sys/', 'auth/', 'cubbyhole/', 'identity/'];

/** `/secret//` → `secret/`; '' stays '' (the root). */
export function normalizeMountPath(path: string): string {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

/** One namespace: its own, separate set of secret mounts and auth mounts. */
export class Namespace {
  /** Namespace id as Vault reports it (`root` for the root namespace). */
  readonly id: string;
  readonly mounts = new Map<string, KvMount>();
  readonly authMounts = new Map<string, AuthMount>();

  /** `path` is '' for the root namespace, else like `team/app/`. */
  constructor(readonly path: string) {
    this.id = path === '' ? 'root' : randomUUID().slice(0, 5);
  }

  /** Enables a KV mount; throws when the path is taken (the caller words the error). */
  mount(path: string, version: 1 | 2, clock: Clock, description = ''): KvMount {
    const mountPath = normalizeMountPath(path);
    const base = {
      path: mountPath,
      accessor: `kv_${randomUUID().slice(0, 8)}`,
      uuid: randomUUID(),
      description,
    };
    const mount: KvMount =
      version === 2
        ? { ...base, version: 2, store: new KvV2Store(clock) }
        : { ...base, version: 1, store: new KvV1Store() };
    this.mounts.set(mountPath, mount);
    return mount;
  }

  /** The mount (or reserved path) a new mount at `path` would overlap, if any. */
  clash(path: string): string | undefined {
    const mountPath = normalizeMountPath(path);
    return [...RESERVED_PATHS, ...this.mounts.keys()].find(
      (existing) => existing.startsWith(mountPath) || mountPath.startsWith(existing),
    );
  }

  /** The mount with the longest path that contains `path`, and the rest of the path in it. */
  findMount(path: string): { mount: KvMount; rest: string } | undefined {
    const segments = path.split('/');
    let prefix = '';
    let found: { mount: KvMount; rest: string } | undefined;
    for (let index = 0; index < segments.length; index += 1) {
      prefix += `${segments[index] ?? ''}/`;
      const mount = this.mounts.get(prefix);
      if (mount !== undefined) found = { mount, rest: segments.slice(index + 1).join('/') };
    }
    return found;
  }
}

/** Every namespace by path; children exist only when their parents do, as in Vault. */
export class NamespaceTree {
  private readonly byPath = new Map<string, Namespace>([['', new Namespace('')]]);

  /** The root namespace. */
  get root(): Namespace {
    return this.ensure('');
  }

  /** The namespace at `path` ('' or `team/app/`), if it exists. */
  get(path: string): Namespace | undefined {
    return this.byPath.get(normalizeMountPath(path));
  }

  /** The namespace at `path`, creating it and its parents when missing. */
  ensure(path: string): Namespace {
    const normalized = normalizeMountPath(path);
    let current = this.byPath.get('') as Namespace;
    let prefix = '';
    for (const segment of normalized.split('/').filter((part) => part !== '')) {
      prefix += `${segment}/`;
      const existing = this.byPath.get(prefix);
      current = existing ?? new Namespace(prefix);
      if (existing === undefined) this.byPath.set(prefix, current);
    }
    return current;
  }

  /** Direct children of a namespace, as `name/` keys, sorted. */
  children(path: string): string[] {
    const parent = normalizeMountPath(path);
    return [...this.byPath.keys()]
      .filter((key) => key.startsWith(parent) && key !== parent)
      .map((key) => key.slice(parent.length))
      .filter((rest) => rest.indexOf('/') === rest.length - 1)
      .sort();
  }

  /**
   * Splits a request into namespace and path: the header namespace, then as many leading path
   * segments as name existing child namespaces (`/v1/team/app/secret/...`). An unknown header
   * namespace resolves to an empty, unsaved namespace, so every path in it is unmounted.
   */
  resolve(headerNamespace: string, path: string): { namespace: Namespace; path: string } {
    const start = normalizeMountPath(headerNamespace);
    let namespace = this.byPath.get(start) ?? new Namespace(start);
    const segments = path.split('/');
    let used = 0;
    while (used < segments.length - 1) {
      const child = this.byPath.get(`${namespace.path}${segments[used] ?? ''}/`);
      if (child === undefined) break;
      namespace = child;
      used += 1;
    }
    return { namespace, path: segments.slice(used).join('/') };
  }

  /** Drops every namespace but the root, and the root's mounts. */
  clear(): void {
    this.byPath.clear();
    this.byPath.set('', new Namespace(''));
  }
}
