/** Hosts plain http:// may reach: the token never leaves the machine. */
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** True when a Vault URL would carry the token unencrypted off this machine. */
export function sendsTokenInClear(url: URL): boolean {
  return url.protocol === 'http:' && !LOOPBACK.test(url.hostname);
}

/** Why a plain-http Vault address is refused, and the two ways out. */
export function plainHttpRefusal(address: string): string {
  return `"${address}" uses plain http:// to a non-loopback host, which would send the token unencrypted: use https://, or set vault.allow_insecure_http: true if you accept that`;
}
