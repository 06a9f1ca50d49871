import type { VaultPeer } from './vault-peer.js';

/** A JWT auth role as the tests bind it. */
export interface JwtRoleOptions {
  readonly mount?: string;
  readonly role: string;
  readonly audiences: readonly string[];
  readonly boundClaims?: Readonly<Record<string, string | readonly string[]>>;
  readonly userClaim?: string;
  readonly policies: readonly string[];
  readonly ttl?: string;
  /** `batch` tokens cannot be renewed: the client logs in again when one nears its end. */
  readonly tokenType?: 'service' | 'batch';
}

/** An AWS auth (IAM method) mount and role as the tests bind them. */
export interface AwsRoleOptions {
  readonly mount?: string;
  readonly stsEndpoint: string;
  readonly headerValue?: string;
  readonly role: string;
  readonly boundArns: readonly string[];
  readonly policies: readonly string[];
  readonly ttl?: string;
}

async function expectOk(peer: VaultPeer, method: string, path: string, body?: unknown) {
  const result = await peer.api(method, path, body);
  if (result.status >= 300 && !JSON.stringify(result.body).includes('path is already in use'))
    throw new Error(`${method} ${path}: ${String(result.status)} ${JSON.stringify(result.body)}`);
}

/**
 * Enables the JWT auth method (Vault's own, so a real Vault only) with the issuer's JWKS, and
 * creates a role through the API as an operator would.
 */
export async function configureJwtRole(
  peer: VaultPeer,
  jwksUrl: string,
  options: JwtRoleOptions,
): Promise<void> {
  if (peer.local)
    throw new Error('the JWT auth method is tested against the real Vault peer (test:real-vault)');
  const mount = options.mount ?? 'jwt';
  await expectOk(peer, 'POST', `sys/auth/${mount}`, { type: 'jwt' });
  await expectOk(peer, 'POST', `auth/${mount}/config`, { jwks_url: jwksUrl });
  await expectOk(peer, 'POST', `auth/${mount}/role/${options.role}`, {
    role_type: 'jwt',
    user_claim: options.userClaim ?? 'sub',
    bound_audiences: options.audiences,
    bound_claims: options.boundClaims,
    token_policies: options.policies,
    token_ttl: options.ttl,
    token_type: options.tokenType,
  });
}

/**
 * Enables the AWS auth method pointed at an STS endpoint (moto) and creates an IAM-method role:
 * through Vault's API on a real Vault, through `/_dev/` on our server.
 */
export async function configureAwsRole(peer: VaultPeer, options: AwsRoleOptions): Promise<void> {
  const mount = options.mount ?? 'aws';
  if (peer.local) {
    await peer.control('POST', 'aws/config', {
      mount,
      sts_endpoint: options.stsEndpoint,
      ...(options.headerValue === undefined
        ? {}
        : { iam_server_id_header_value: options.headerValue }),
    });
    await peer.control('POST', 'aws/roles', {
      mount,
      role: options.role,
      bound_iam_principal_arn: options.boundArns,
      policies: options.policies,
      ...(options.ttl === undefined ? {} : { ttl: options.ttl }),
    });
    return;
  }
  await expectOk(peer, 'POST', `sys/auth/${mount}`, { type: 'aws' });
  await expectOk(peer, 'POST', `auth/${mount}/config/client`, {
    sts_endpoint: options.stsEndpoint,
    sts_region: 'us-east-1',
    iam_server_id_header_value: options.headerValue ?? '',
    // One attempt: an unreachable STS fails at once instead of after Vault's backoff.
    max_retries: 0,
  });
  await expectOk(peer, 'POST', `auth/${mount}/role/${options.role}`, {
    auth_type: 'iam',
    bound_iam_principal_arn: options.boundArns,
    // The real method would resolve the ARNs to unique ids with IAM; moto's are not AWS's.
    resolve_aws_unique_ids: false,
    token_policies: options.policies,
    token_ttl: options.ttl,
  });
}
