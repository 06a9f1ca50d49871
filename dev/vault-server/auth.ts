import { randomBytes } from 'node:crypto';
import type { AwsClientConfig } from './aws-auth.js';
import type { Clock } from './clock.js';

/** Vault's default system max TTL (and default token TTL): 768h = 32 days. */
export const SYSTEM_MAX_TTL_SECONDS = 768 * 3600;

/** A service token as the token store keeps it. */
export interface Token {
  readonly id: string;
  readonly accessor: string;
  /** Sorted policy names (`root`, or the given ones plus `default`). */
  readonly policies: readonly string[];
  /** Namespace the token belongs to ('' = root); its policies apply relative to it. */
  readonly namespace: string;
  readonly displayName: string;
  readonly meta: Readonly<Record<string, string>> | null;
  /** Path that created it (`auth/token/create`, `auth/approle/login`). */
  readonly path: string;
  /** TTL given at creation, seconds (0 = never expires, e.g. the root token). */
  readonly creationTtl: number;
  readonly explicitMaxTtl: number;
  readonly renewable: boolean;
  readonly issueMs: number;
  /** When it stops working (ms since epoch); 0 = never. */
  expireMs: number;
  /** The latest expiry renewal may reach; 0 = unbounded. */
  readonly maxExpireMs: number;
  lastRenewalMs: number | undefined;
}

/** What a new token is made from. */
export interface TokenSpec {
  readonly id?: string | undefined;
  readonly policies: readonly string[];
  /** Seconds; undefined = Vault's default (768h); 0 = never expires (like a root token). */
  readonly ttl?: number | undefined;
  /** Seconds; undefined or 0 = the system max (768h). */
  readonly maxTtl?: number | undefined;
  readonly renewable?: boolean | undefined;
  readonly namespace?: string | undefined;
  readonly displayName?: string | undefined;
  readonly meta?: Readonly<Record<string, string>> | null | undefined;
  readonly path?: string | undefined;
  readonly noDefaultPolicy?: boolean | undefined;
}

/** Outcome of a renewal: the new TTL and, when the max TTL capped it, Vault's warning. */
export interface Renewal {
  readonly ttl: number;
  readonly warnings: readonly string[];
}

/** Issues, looks up (expiring by the server clock), renews and revokes tokens. */
export class TokenStore {
  private readonly tokens = new Map<string, Token>();

  constructor(private readonly clock: Clock) {}

  /** Creates a token; the TTL is capped by the max TTL as Vault does. */
  create(spec: TokenSpec): Token {
    const now = this.clock.now();
    const maxTtl =
      spec.maxTtl === undefined || spec.maxTtl === 0
        ? SYSTEM_MAX_TTL_SECONDS
        : Math.min(spec.maxTtl, SYSTEM_MAX_TTL_SECONDS);
    const ttl = Math.min(spec.ttl ?? SYSTEM_MAX_TTL_SECONDS, maxTtl);
    const root = spec.policies.includes('root');
    const token: Token = {
      id: spec.id ?? `hvs.${randomToken(24)}`,
      accessor: randomToken(24),
      policies: root ? ['root'] : withDefault(spec.policies, spec.noDefaultPolicy === true),
      namespace: spec.namespace ?? '',
      displayName: spec.displayName ?? 'token',
      meta: spec.meta ?? null,
      path: spec.path ?? 'auth/token/create',
      creationTtl: ttl,
      explicitMaxTtl: spec.maxTtl ?? 0,
      renewable: spec.renewable ?? true,
      issueMs: now,
      expireMs: ttl === 0 ? 0 : now + ttl * 1000,
      maxExpireMs: ttl === 0 ? 0 : now + maxTtl * 1000,
      lastRenewalMs: undefined,
    };
    this.tokens.set(token.id, token);
    return token;
  }

  /** The root token: every capability, never expires, not renewable. */
  createRoot(id: string): Token {
    return this.create({
      id,
      policies: ['root'],
      ttl: 0,
      renewable: false,
      displayName: 'root',
      path: 'auth/token/root',
    });
  }

  /** The live token with this id; an expired one is revoked on the spot. */
  lookup(id: string): Token | undefined {
    const token = this.tokens.get(id);
    if (token === undefined) return undefined;
    if (token.expireMs !== 0 && this.clock.now() >= token.expireMs) {
      this.tokens.delete(id);
      return undefined;
    }
    return token;
  }

  /** Seconds left before expiry (0 for tokens that never expire). */
  remaining(token: Token): number {
    if (token.expireMs === 0) return 0;
    return Math.max(0, Math.floor((token.expireMs - this.clock.now()) / 1000));
  }

  /**
   * Extends the TTL to `increment` seconds from now (default: the creation TTL), never past the
   * max TTL. Returns undefined for a token that cannot be renewed.
   */
  renew(token: Token, increment: number | undefined): Renewal | undefined {
    if (!token.renewable || token.expireMs === 0) return undefined;
    const now = this.clock.now();
    const wanted = increment !== undefined && increment > 0 ? increment : token.creationTtl;
    const allowed = Math.floor((token.maxExpireMs - now) / 1000);
    const ttl = Math.max(0, Math.min(wanted, allowed));
    token.expireMs = now + ttl * 1000;
    token.lastRenewalMs = now;
    const warnings =
      wanted > allowed
        ? [
            `TTL of "${wanted}s" exceeded the effective max_ttl of "${allowed}s"; TTL value is capped accordingly`,
          ]
        : [];
    return { ttl, warnings };
  }

  /** Revokes a token (no-op when unknown). */
  revoke(id: string): void {
    this.tokens.delete(id);
  }

  /** Forgets every token. */
  clear(): void {
    this.tokens.clear();
  }
}

/** An AppRole role: the credentials that log in to it and the token they get. */
export interface AppRoleRole {
  readonly roleName: string;
  readonly roleId: string;
  readonly secretIds: ReadonlySet<string>;
  readonly policies: readonly string[];
  readonly ttl: number | undefined;
  readonly maxTtl: number | undefined;
}

/** A Kubernetes auth role: the service-account JWTs it accepts and the token they get. */
export interface KubernetesRole {
  readonly role: string;
  readonly jwts: ReadonlySet<string>;
  readonly policies: readonly string[];
  readonly ttl: number | undefined;
  readonly maxTtl: number | undefined;
  readonly serviceAccountName: string;
  readonly serviceAccountNamespace: string;
  readonly serviceAccountUid: string;
}

/** An AWS auth role of the IAM method: the principals it admits and the token they get. */
export interface AwsAuthRole {
  readonly role: string;
  /** A UUID, as Vault gives every AWS role. */
  readonly roleId: string;
  /** Canonical ARNs (`arn:aws:iam::<acct>:role/<name>`, `...:user/<name>`); a trailing `*` globs. */
  readonly boundIamPrincipalArns: readonly string[];
  readonly policies: readonly string[];
  readonly ttl: number | undefined;
  readonly maxTtl: number | undefined;
}

/** An enabled auth method in a namespace, with its roles. */
export type AuthMount =
  | {
      readonly type: 'approle';
      readonly accessor: string;
      readonly roles: Map<string, AppRoleRole>;
    }
  | {
      readonly type: 'kubernetes';
      readonly accessor: string;
      readonly roles: Map<string, KubernetesRole>;
    }
  | {
      readonly type: 'aws';
      readonly accessor: string;
      readonly roles: Map<string, AwsAuthRole>;
      /** `config/client`; Vault's defaults until set. */
      client: AwsClientConfig;
    };

/** The AppRole role with this role_id, if any (its secret_ids are checked by the caller). */
export function findAppRole(
  mount: Extract<AuthMount, { type: 'approle' }>,
  roleId: string,
): AppRoleRole | undefined {
  return [...mount.roles.values()].find((candidate) => candidate.roleId === roleId);
}

/** The `auth` block of a login or renewal response. */
export function authBlock(token: Token, leaseDuration: number): Record<string, unknown> {
  return {
    client_token: token.id,
    accessor: token.accessor,
    policies: token.policies,
    token_policies: token.policies,
    metadata: token.meta,
    lease_duration: leaseDuration,
    renewable: token.renewable,
    entity_id: '',
    token_type: 'service',
    orphan: isOrphan(token),
    mfa_requirement: null,
    num_uses: 0,
  };
}

/** Children of `auth/token/create` have a parent; root and login tokens are orphans. */
function isOrphan(token: Token): boolean {
  return token.path !== 'auth/token/create';
}

/**
 * `auth/token/lookup-self` data for a token. As in Vault 1.14, a token that never expires (the
 * root token) has no `issue_time` or `renewable`, and `namespace_path` exists only inside a
 * namespace (an Enterprise / OpenBao field).
 */
export function lookupData(token: Token, ttl: number): Record<string, unknown> {
  const expires = token.expireMs !== 0;
  return {
    accessor: token.accessor,
    creation_time: Math.floor(token.issueMs / 1000),
    creation_ttl: token.creationTtl,
    display_name: token.displayName,
    entity_id: '',
    expire_time: token.expireMs === 0 ? null : new Date(token.expireMs).toISOString(),
    explicit_max_ttl: token.explicitMaxTtl,
    id: token.id,
    issue_time: expires ? new Date(token.issueMs).toISOString() : undefined,
    last_renewal_time:
      token.lastRenewalMs === undefined ? undefined : Math.floor(token.lastRenewalMs / 1000),
    meta: token.meta,
    namespace_path: token.namespace === '' ? undefined : token.namespace,
    num_uses: 0,
    orphan: isOrphan(token),
    path: token.path,
    policies: token.policies,
    renewable: expires ? token.renewable : undefined,
    ttl,
    type: 'service',
  };
}

function withDefault(policies: readonly string[], noDefault: boolean): string[] {
  const names = new Set(policies);
  if (!noDefault) names.add('default');
  return [...names].sort();
}

function randomToken(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}
