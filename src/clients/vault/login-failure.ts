/** Which login failed: the method's name, its mount and role, and the config key to fix. */
export interface LoginTarget {
  /** `AppRole`, `Kubernetes`, `JWT`, `AWS IAM`. */
  readonly method: string;
  readonly mount: string;
  readonly role: string | undefined;
  /** The config block of the method, e.g. `vault.auth.jwt`. */
  readonly configKey: string;
}

/** A Vault error text and what to do about it. */
interface KnownRefusal {
  readonly pattern: RegExp;
  readonly fix: (target: LoginTarget, match: RegExpMatchArray) => string;
}

const CLOCK_FIX =
  "clock skew: this machine's, the token issuer's and Vault's clocks must agree (within the role's clock_skew_leeway, 60 s by default): fix the clocks (NTP)";

/*
 * Vault's own texts, as Vault 1.14's jwt plugin (hashicorp/cap) and aws auth method word them;
 * the first that matches gives the fix.
 */
const KNOWN: readonly KnownRefusal[] = [
  {
    pattern: /invalid audience \(aud\) claim|aud claim does not match any bound audience/,
    fix: (t) =>
      `wrong audience: the token's aud claim is not one of the role's bound_audiences: request that audience (${t.configKey}.audience) or add the token's audience to bound_audiences of auth/${t.mount}/role/${t.role ?? ''}`,
  },
  {
    pattern: /audience claim found in JWT but no audiences bound to the role/,
    fix: (t) =>
      `the token has an audience but the role binds none: set bound_audiences on auth/${t.mount}/role/${t.role ?? ''}`,
  },
  {
    pattern: /claim "([^"]+)" (does not match any associated bound claim values|is missing)/,
    fix: (t, m) =>
      `bound claim mismatch: the token's ${m[1] ?? ''} claim does not match bound_claims of auth/${t.mount}/role/${t.role ?? ''}: bind the value this job's token carries (GitHub Actions: sub is repo:<owner>/<repo>:ref:refs/heads/<branch> or repo:<owner>/<repo>:environment:<name>)`,
  },
  {
    pattern: /invalid subject \(sub\) claim/,
    fix: (t) =>
      `bound subject mismatch: the token's sub claim is not bound_subject of auth/${t.mount}/role/${t.role ?? ''}`,
  },
  {
    pattern: /invalid issuer \(iss\) claim/,
    fix: (t) => `the token's issuer is not bound_issuer of auth/${t.mount}/config`,
  },
  {
    pattern: /token is expired|token not yet valid|token issued in the future/,
    fix: () => CLOCK_FIX,
  },
  {
    pattern: /error verifying token signature|no known key successfully validated/,
    fix: (t) =>
      `Vault does not trust the key that signed the token: check jwks_url, oidc_discovery_url or jwt_validation_pubkeys of auth/${t.mount}/config`,
  },
  {
    pattern: /role "[^"]*" could not be found|entry for role \S+ not found|invalid role name/,
    fix: (t) =>
      `no role ${t.role ?? ''} at auth/${t.mount}: create it, or set ${t.configKey}.role to an existing one`,
  },
  {
    pattern: /IAM Principal "([^"]+)" does not belong to the role/,
    fix: (t, m) =>
      `the AWS caller ${m[1] ?? ''} is not in bound_iam_principal_arn of auth/${t.mount}/role/${t.role ?? ''}: add it (a role ARN for assumed-role sessions), or run with the credentials of a bound principal`,
  },
  {
    pattern: /X-Vault-AWS-IAM-Server-ID/i,
    fix: (t) =>
      `set ${t.configKey}.header_value to iam_server_id_header_value of auth/${t.mount}/config/client`,
  },
  {
    pattern: /Signature expired|Signature not yet current|RequestExpired/,
    fix: () => "clock skew: STS refused the signed request's time: fix this machine's clock (NTP)",
  },
  {
    pattern:
      /error making upstream request: (error making request|received error code 5\d\d)|Bad Gateway|connection refused/i,
    fix: (t) =>
      `Vault could not reach STS: check sts_endpoint of auth/${t.mount}/config/client and Vault's network path to it (this side signs for the endpoint in ${t.configKey}.region, AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL; both must name the same STS)`,
  },
  {
    pattern: /error making upstream request: received error code 4\d\d/,
    fix: (t) =>
      `STS refused the signed request: check that the AWS credentials work, and that ${t.configKey}.region matches sts_region of auth/${t.mount}/config/client`,
  },
];

/** The fix for a refused login, or undefined when Vault's text is not one we know. */
export function loginFix(target: LoginTarget, vaultMessage: string): string | undefined {
  for (const known of KNOWN) {
    const match = known.pattern.exec(vaultMessage);
    if (match !== null) return known.fix(target, match);
  }
  return undefined;
}

/** How a refused login reads: method, mount and role first, then Vault's reason and the fix. */
export function loginFailureMessage(
  target: LoginTarget,
  reason: string,
  secrets: readonly string[],
): string {
  const role = target.role === undefined ? '' : ` as role ${target.role}`;
  const fix = loginFix(target, reason);
  const text = `Vault ${target.method} login at auth/${target.mount}/login${role} failed: ${reason}${fix === undefined ? '' : `; ${fix}`}`;
  return redact(text, secrets);
}

/** Replaces every credential in `text` (Vault never echoes one, but this must never depend on that). */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets
    .filter((secret) => secret.length >= 8)
    .reduce((result, secret) => result.split(secret).join('[redacted]'), text);
}
