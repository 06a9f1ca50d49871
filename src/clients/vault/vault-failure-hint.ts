import type { OutcomeClass } from '../../context/operation.js';
import { networkFailureOf } from '../../resilience/network-failure.js';
import { VaultResponseError } from './vault-error.js';

/** The setting that names the Vault address, as errors cite it. */
const ADDRESS_SETTING = 'vault.address (or VAULT_ADDR)';

/** Later Vault versions' words for a token it does not know (expired, revoked, never issued). */
const INVALID_TOKEN = /invalid token|token is expired|bad token/i;

/**
 * The fix for a failed Vault call, naming Vault at its address and the setting to change, or
 * undefined when nothing better than Vault's own words is known. `deniedHint` is the request's
 * hint for a policy refusal (the capability and path to grant).
 */
export function vaultFailureHint(
  address: string,
  outcome: OutcomeClass,
  cause: unknown,
  deniedHint: string | undefined,
): string | undefined {
  if (outcome === 'access_denied')
    return refusedToken(cause)
      ? `Vault at ${address} does not accept the token (expired or revoked), so no policy change helps: give a current token of this Vault, lasting the whole run, in VAULT_TOKEN (or vault.auth.token), or use a login method (AppRole, Kubernetes, JWT or AWS IAM)`
      : deniedHint;
  return tlsHint(cause) ?? connectionHint(address, cause);
}

/**
 * True when Vault refused the token itself. Vault 1.14 answers a missing, unknown, revoked or
 * expired token with a bare `permission denied`, and a policy refusal in its multierror form
 * (`1 error occurred: * permission denied`), so the two can be told apart.
 */
function refusedToken(cause: unknown): boolean {
  if (!(cause instanceof VaultResponseError)) return false;
  const { errors } = cause;
  return (
    errors.some((error) => INVALID_TOKEN.test(error)) ||
    (errors.length === 1 && errors[0]?.trim() === 'permission denied')
  );
}

/** What to do when no answer came from the address at all. */
function connectionHint(address: string, cause: unknown): string | undefined {
  const plain = address.startsWith('http:');
  switch (networkFailureOf(cause)) {
    case 'refused':
      return `nothing listens at Vault's address ${address}: start Vault there, or set ${ADDRESS_SETTING} to the address Vault listens on`;
    case 'dns':
      return `the host of Vault's address ${address} does not resolve: correct the host name in ${ADDRESS_SETTING}`;
    case 'tls_to_plain':
      return `Vault at ${address} answers in plain HTTP, not TLS: point ${ADDRESS_SETTING} at Vault's TLS listener, or use http:// for a plain-HTTP Vault on loopback`;
    case 'closed':
      return plain
        ? `Vault at ${address} closed the connection without an answer, as a TLS listener does to plain HTTP: use https:// in ${ADDRESS_SETTING}`
        : `Vault at ${address} closed the connection without an answer: check that ${ADDRESS_SETTING} names Vault's listener and that no proxy in between drops the connection`;
    case undefined:
      return undefined;
  }
}

/** Node's codes for a server certificate it does not trust. */
const UNTRUSTED_CERT_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
]);

/** What to do about a TLS verification failure, or undefined for any other error. */
function tlsHint(cause: unknown): string | undefined {
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return undefined;
  if (UNTRUSTED_CERT_CODES.has(code))
    return "the server's certificate is not signed by a trusted CA: set vault.ca_cert (or VAULT_CACERT) to the PEM file of the CA that signed it";
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return 'the certificate does not name this address: connect by a name on the certificate, or set vault.tls_server_name to it';
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
    return "the server's certificate is outside its validity period: renew it (or check this machine's clock)";
  return undefined;
}
