import type { ServiceAccountIdentity } from './server.js';

/**
 * A JWT shaped like a Kubernetes service-account token (RS256 header, the legacy
 * `kubernetes.io/serviceaccount/*` claims). Its signature is filler: Vault's Kubernetes auth
 * parses the claims without verifying them when no `pem_keys` are configured, and asks the
 * TokenReview endpoint whether the token is valid.
 */
export function serviceAccountJwt(identity: ServiceAccountIdentity): string {
  const header = { alg: 'RS256', typ: 'JWT' };
  const claims = {
    iss: 'kubernetes/serviceaccount',
    sub: `system:serviceaccount:${identity.namespace}:${identity.name}`,
    'kubernetes.io/serviceaccount/namespace': identity.namespace,
    'kubernetes.io/serviceaccount/service-account.name': identity.name,
    'kubernetes.io/serviceaccount/service-account.uid': identity.uid,
    'kubernetes.io/serviceaccount/secret.name': `${identity.name}-token`,
  };
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signature = Buffer.from(`unsigned:${identity.uid}`).toString('base64url');
  return `${encode(header)}.${encode(claims)}.${signature}`;
}
