import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { VaultAuth } from '../../config/types.js';
import { OperationError } from '../../context/operation-error.js';
import type { AppLogger } from '../../observability/logger.js';
import type { VaultHttp } from './http.js';
import { VaultConfigError } from './vault-config-error.js';

const authBlock = z.object({
  auth: z.object({
    client_token: z.string(),
    lease_duration: z.number(),
    renewable: z.boolean(),
  }),
});

const lookupBlock = z.object({
  data: z.object({ ttl: z.number(), renewable: z.boolean().optional() }),
});

/** A token and when it stops working (ms since epoch; Infinity when it never expires). */
interface Lease {
  readonly token: string;
  readonly expiresAt: number;
  readonly ttlMs: number;
  readonly renewable: boolean;
  /** Vault granted less than asked: the max TTL is near, so next time log in instead. */
  readonly final: boolean;
}

/** Login refusals Vault answers with a 5xx (AppRole: `invalid secret id`, a missing role_id). */
const LOGIN_REFUSAL = /^(invalid secret id|failed to determine alias name from login request)$/;

/** Renew when less than this share of the lease is left. */
const RENEW_AT_FRACTION = 1 / 3;

/**
 * Supplies a valid token for every call: logs in (token, AppRole, Kubernetes), renews before the
 * TTL runs out, and logs in again when renewal is refused. Concurrent callers share one login.
 */
export class VaultTokenSource {
  private lease: Promise<Lease> | undefined;

  constructor(
    private readonly http: VaultHttp,
    private readonly auth: VaultAuth,
    private readonly logger: AppLogger,
    private readonly now: () => number = Date.now,
  ) {}

  /** A token that is valid now, renewing or logging in first when needed. */
  async token(): Promise<string> {
    this.lease ??= this.login();
    let lease = await this.lease.catch((error: unknown) => {
      this.lease = undefined;
      throw error;
    });
    if (this.needsRenewal(lease)) {
      this.lease = this.renew(lease);
      lease = await this.lease;
    }
    return lease.token;
  }

  private needsRenewal(lease: Lease): boolean {
    if (!Number.isFinite(lease.expiresAt)) return false;
    return lease.expiresAt - this.now() < lease.ttlMs * RENEW_AT_FRACTION;
  }

  private async renew(lease: Lease): Promise<Lease> {
    if (lease.renewable && !lease.final) {
      try {
        const increment = Math.round(lease.ttlMs / 1000);
        const renewed = await this.http.request({
          method: 'POST',
          path: 'auth/token/renew-self',
          operation: 'vault.renew',
          token: lease.token,
          body: { increment: `${increment}s` },
          schema: authBlock,
        });
        if (renewed !== undefined) {
          this.logger.debug({ ttl_s: renewed.auth.lease_duration }, 'renewed the Vault token');
          // Less than asked means the max TTL is near: the next renewal becomes a new login.
          return { ...this.leaseOf(renewed.auth), final: renewed.auth.lease_duration < increment };
        }
      } catch (error) {
        this.logger.warn(
          { reason: (error as Error).message },
          'token renewal refused; logging in again',
        );
      }
    }
    if (this.auth.method === 'token') {
      // A static token cannot be re-created: keep using it until Vault refuses it.
      return { ...lease, expiresAt: Number.POSITIVE_INFINITY };
    }
    return this.login();
  }

  private async login(): Promise<Lease> {
    const auth = this.auth;
    switch (auth.method) {
      case 'none':
        throw new VaultConfigError(
          'no Vault credentials: set vault.auth (token, approle or kubernetes) in the config, or VAULT_TOKEN, or VAULT_ROLE_ID and VAULT_SECRET_ID',
        );
      case 'token':
        return this.lookupToken(auth.token);
      case 'approle':
        return this.loginWith('AppRole', auth.mount, {
          role_id: auth.roleId,
          secret_id: auth.secretId,
        });
      case 'kubernetes': {
        const jwt = await readServiceAccountToken(auth.tokenPath);
        return this.loginWith('Kubernetes', auth.mount, { role: auth.role, jwt });
      }
    }
  }

  private async loginWith(
    method: string,
    mount: string,
    body: Record<string, string>,
  ): Promise<Lease> {
    try {
      const response = await this.http.request({
        method: 'POST',
        path: `auth/${mount}/login`,
        operation: 'vault.login',
        body,
        schema: authBlock,
        refusal: LOGIN_REFUSAL,
      });
      if (response === undefined)
        throw new VaultConfigError(`${method} login at auth/${mount} returned no token`);
      this.logger.info(
        { method, mount, ttl_s: response.auth.lease_duration },
        'logged in to Vault',
      );
      return this.leaseOf(response.auth);
    } catch (error) {
      if (!isCredentialProblem(error)) throw error;
      throw new VaultConfigError(
        `Vault ${method} login at auth/${mount}/login failed: ${(error as Error).message}`,
      );
    }
  }

  private async lookupToken(token: string): Promise<Lease> {
    try {
      const response = await this.http.request({
        method: 'GET',
        path: 'auth/token/lookup-self',
        // A live token without Vault's `default` policy gets the same 403 as a dead one.
        deniedHint:
          "a token may look itself up only with Vault's default policy or a policy granting read on auth/token/lookup-self",
        operation: 'vault.lookup',
        token,
        schema: lookupBlock,
      });
      const ttl = response?.data.ttl ?? 0;
      return {
        token,
        ttlMs: ttl * 1000,
        renewable: response?.data.renewable ?? false,
        final: false,
        expiresAt: ttl === 0 ? Number.POSITIVE_INFINITY : this.now() + ttl * 1000,
      };
    } catch (error) {
      if (!isCredentialProblem(error)) throw error;
      throw new VaultConfigError(
        `the Vault token was refused (token lookup failed): ${(error as Error).message}; check vault.auth.token or VAULT_TOKEN`,
      );
    }
  }

  private leaseOf(auth: z.infer<typeof authBlock>['auth']): Lease {
    const ttlMs = auth.lease_duration * 1000;
    return {
      token: auth.client_token,
      ttlMs,
      renewable: auth.renewable,
      final: false,
      expiresAt: ttlMs === 0 ? Number.POSITIVE_INFINITY : this.now() + ttlMs,
    };
  }
}

/** Refused credentials are fixed in config; an unreachable Vault keeps its OperationError. */
function isCredentialProblem(error: unknown): boolean {
  return (
    error instanceof OperationError &&
    (error.fields.outcome === 'access_denied' || error.fields.outcome === 'invalid_request')
  );
}

async function readServiceAccountToken(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    throw new VaultConfigError(
      `Kubernetes auth needs the service-account token at ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; set vault.auth.kubernetes.token_path`,
    );
  }
}
