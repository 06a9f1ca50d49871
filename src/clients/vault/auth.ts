import { z } from 'zod';
import type { VaultAuth } from '../../config/types.js';
import { InternalError } from '../../core/errors.js';
import { OperationError } from '../../context/operation-error.js';
import type { AppLogger } from '../../observability/logger.js';
import type { VaultHttp } from './http.js';
import { loginFailureMessage } from './login-failure.js';
import { loginRequestFor } from './login-request.js';
import type { LoginDeps, LoginRequest } from './login-request.js';
import { VaultConfigError } from './vault-config-error.js';

const authBlock = z.object({
  auth: z.object({
    client_token: z.string(),
    lease_duration: z.number(),
    renewable: z.boolean(),
    policies: z.array(z.string()).nullish(),
  }),
});

const lookupBlock = z.object({
  data: z.object({
    ttl: z.number(),
    renewable: z.boolean().optional(),
    policies: z.array(z.string()).nullish(),
  }),
});

/** Who the run is in Vault: how it logged in and what the token may do (`context` shows it). */
export interface VaultLogin {
  /** `token`, `approle`, `kubernetes`, `jwt` or `aws`. */
  readonly method: VaultAuth['method'];
  /** `auth/<mount>` of the login methods; undefined for a given token. */
  readonly mount: string | undefined;
  readonly role: string | undefined;
  readonly policies: readonly string[];
  /** Seconds; 0 means the token never expires. */
  readonly ttlSeconds: number;
}

/** A token and when it stops working (ms since epoch; Infinity when it never expires). */
interface Lease {
  readonly token: string;
  readonly expiresAt: number;
  readonly ttlMs: number;
  readonly renewable: boolean;
  readonly policies: readonly string[];
  /** Vault granted less than asked: the max TTL is near, so next time log in instead. */
  readonly final: boolean;
  /** Why this (given) token cannot be extended, once renewal is known to be impossible. */
  readonly cannotLast?: string;
}

/** Login refusals Vault answers with a 5xx (AppRole: `invalid secret id`, a missing role_id). */
const LOGIN_REFUSAL = /^(invalid secret id|failed to determine alias name from login request)$/;

/** Renew when less than this share of the lease is left (the timer fires at two-thirds). */
const RENEW_AT_FRACTION = 1 / 3;

/** How the token source waits: the global timers, replaceable for tests. */
export interface TokenClock {
  readonly now: () => number;
  readonly setTimer: (run: () => void, ms: number) => { unref(): unknown };
  readonly clearTimer: (timer: { unref(): unknown }) => void;
}

const SYSTEM_CLOCK: TokenClock = {
  now: Date.now,
  setTimer: (run, ms) => setTimeout(run, ms),
  clearTimer: (timer) => {
    clearTimeout(timer as NodeJS.Timeout);
  },
};

/**
 * Supplies a valid token for every call: logs in (token, AppRole, Kubernetes), renews in the
 * background at about two-thirds of the TTL (and, as a fallback, before a call that finds the
 * token near its end), and logs in again when renewal is refused. Concurrent callers share one
 * login. A given token that cannot be renewed fails, once expired, with a message that says so.
 */
export class VaultTokenSource {
  private lease: Promise<Lease> | undefined;
  private timer: { unref(): unknown } | undefined;
  private closed = false;
  private readonly clock: TokenClock;
  private readonly deps: LoginDeps;
  private lastLogin: VaultLogin | undefined;

  constructor(
    private readonly http: VaultHttp,
    private readonly auth: VaultAuth,
    private readonly logger: AppLogger,
    clock: Partial<TokenClock> | (() => number) = {},
    deps: Partial<Omit<LoginDeps, 'now'>> = {},
  ) {
    this.clock = { ...SYSTEM_CLOCK, ...(typeof clock === 'function' ? { now: clock } : clock) };
    this.deps = {
      call: deps.call ?? ((_spec, fn) => fn(new AbortController().signal)),
      awsCredentials: deps.awsCredentials ?? noAwsCredentials,
      now: () => this.clock.now(),
    };
  }

  /** Logs in (when not yet done) and says how, for `context`. */
  async login(): Promise<VaultLogin> {
    await this.token();
    if (this.lastLogin === undefined) throw new VaultConfigError('no Vault login happened');
    return this.lastLogin;
  }

  /** A token that is valid now, renewing or logging in first when needed. */
  async token(): Promise<string> {
    this.lease ??= this.adopt(this.logIn());
    let lease = await this.lease.catch((error: unknown) => {
      this.lease = undefined;
      throw error;
    });
    if (lease.cannotLast !== undefined && this.clock.now() >= lease.expiresAt)
      throw new VaultConfigError(expiredMessage(lease, lease.cannotLast));
    if (this.needsRenewal(lease)) {
      this.lease = this.adopt(this.renew(lease));
      lease = await this.lease;
    }
    return lease.token;
  }

  /** Stops the background renewal (the token itself is left to expire). */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** Schedules the next background renewal once the lease is known. */
  private adopt(pending: Promise<Lease>): Promise<Lease> {
    void pending.then(
      (lease) => {
        this.schedule(lease);
      },
      () => undefined,
    );
    return pending;
  }

  private schedule(lease: Lease): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    if (this.closed || !Number.isFinite(lease.expiresAt) || lease.cannotLast !== undefined) return;
    const delay = Math.max(0, lease.expiresAt - this.clock.now() - lease.ttlMs * RENEW_AT_FRACTION);
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      this.renewInBackground(lease);
    }, delay);
    // A pending renewal never keeps the process alive.
    this.timer.unref();
  }

  private renewInBackground(lease: Lease): void {
    if (this.closed) return;
    const next = this.adopt(this.renew(lease));
    this.lease = next;
    next.catch((error: unknown) => {
      this.logger.warn(
        { reason: (error as Error).message },
        'background renewal of the Vault token failed; the next call tries again',
      );
      // The old token is still valid for a third of its TTL: keep it, the next call retries.
      if (this.lease === next) this.lease = Promise.resolve(lease);
    });
  }

  private needsRenewal(lease: Lease): boolean {
    if (!Number.isFinite(lease.expiresAt) || lease.cannotLast !== undefined) return false;
    return lease.expiresAt - this.clock.now() < lease.ttlMs * RENEW_AT_FRACTION;
  }

  private async renew(lease: Lease): Promise<Lease> {
    let refusal = lease.renewable ? 'it reached its max TTL' : 'it is not renewable';
    if (lease.renewable && !lease.final) {
      try {
        return await this.renewSelf(lease);
      } catch (error) {
        refusal = `renewal was refused: ${(error as Error).message}`;
        this.logger.warn({ reason: (error as Error).message }, 'Vault token renewal refused');
      }
    }
    if (this.auth.method === 'token') {
      // A given token cannot be re-created: use it until it expires, then fail saying why.
      this.logger.warn(
        { expires_at: new Date(lease.expiresAt).toISOString(), reason: refusal },
        `the Vault token cannot be extended (${refusal}); the run fails if it lasts past ${new Date(lease.expiresAt).toISOString()}`,
      );
      return { ...lease, cannotLast: refusal };
    }
    this.logger.warn({ method: this.auth.method }, 'logging in to Vault again for a new token');
    return this.logIn();
  }

  private async renewSelf(lease: Lease): Promise<Lease> {
    const increment = Math.round(lease.ttlMs / 1000);
    const renewed = await this.http.request({
      method: 'POST',
      path: 'auth/token/renew-self',
      operation: 'vault.renew',
      token: lease.token,
      body: { increment: `${increment}s` },
      schema: authBlock,
    });
    if (renewed === undefined) throw new VaultConfigError('token renewal returned no auth block');
    this.logger.debug({ ttl_s: renewed.auth.lease_duration }, 'renewed the Vault token');
    // Less than asked means the max TTL is near: the next renewal becomes a new login.
    return {
      ...this.leaseOf(renewed.auth),
      final: renewed.auth.lease_duration < increment,
    };
  }

  private async logIn(): Promise<Lease> {
    const auth = this.auth;
    switch (auth.method) {
      case 'none':
        throw new VaultConfigError(
          'no Vault credentials: set vault.auth (token, approle, kubernetes, jwt or aws) in the config, or VAULT_TOKEN, or VAULT_ROLE_ID and VAULT_SECRET_ID',
        );
      case 'token':
        return this.lookupToken(auth.token);
      case 'approle':
      case 'kubernetes':
      case 'jwt':
      case 'aws':
        return this.loginWith(await loginRequestFor(auth, this.deps));
    }
  }

  private async loginWith({ target, body, secrets }: LoginRequest): Promise<Lease> {
    try {
      const response = await this.http.request({
        method: 'POST',
        path: `auth/${target.mount}/login`,
        operation: 'vault.login',
        body,
        schema: authBlock,
        refusal: LOGIN_REFUSAL,
      });
      if (response === undefined)
        throw new VaultConfigError(
          `${target.method} login at auth/${target.mount} returned no token`,
        );
      this.logger.debug(
        {
          method: target.method,
          mount: target.mount,
          role: target.role,
          ttl_s: response.auth.lease_duration,
        },
        'logged in to Vault',
      );
      const lease = this.leaseOf(response.auth);
      this.lastLogin = {
        method: this.auth.method,
        mount: target.mount,
        role: target.role,
        policies: lease.policies,
        ttlSeconds: response.auth.lease_duration,
      };
      return lease;
    } catch (error) {
      if (!isCredentialProblem(error)) throw error;
      throw new VaultConfigError(loginFailureMessage(target, (error as Error).message, secrets));
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
      const policies = response?.data.policies ?? [];
      this.lastLogin = {
        method: 'token',
        mount: undefined,
        role: undefined,
        policies,
        ttlSeconds: ttl,
      };
      return {
        token,
        ttlMs: ttl * 1000,
        renewable: response?.data.renewable ?? false,
        policies,
        final: false,
        expiresAt: ttl === 0 ? Number.POSITIVE_INFINITY : this.clock.now() + ttl * 1000,
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
      policies: auth.policies ?? [],
      final: false,
      expiresAt: ttlMs === 0 ? Number.POSITIVE_INFINITY : this.clock.now() + ttlMs,
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

/** The AWS IAM login signs with the run's credentials, which the composition root wires in. */
function noAwsCredentials(): Promise<never> {
  return Promise.reject(
    new InternalError(
      'the AWS IAM login has no AWS credential chain wired in (VaultConnections awsCredentials)',
    ),
  );
}

/** Why a run cannot go on with a given token that expired, and what to do instead. */
function expiredMessage(lease: Lease, reason: string): string {
  return `the Vault token expired at ${new Date(lease.expiresAt).toISOString()} and cannot be renewed (${reason}): give a token that lasts the whole run (a longer TTL, or a renewable token below its max TTL), or use a login method (AppRole, Kubernetes, JWT or AWS IAM), with which SecretSync logs in again`;
}
