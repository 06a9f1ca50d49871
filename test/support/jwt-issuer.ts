import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Claims of a test JWT; `iat`, `nbf`, `exp` default to now, now, now + 5 minutes. */
export type JwtClaims = Readonly<Record<string, unknown>>;

/**
 * A JWT issuer on loopback for the tests: an RSA key pair, its JWKS at `/jwks`, and a fake of
 * GitHub Actions' ID token endpoint at `/github/token` (what ACTIONS_ID_TOKEN_REQUEST_URL points
 * at: `GET ?audience=…` with `Authorization: Bearer <request token>` → `{"value": "<jwt>"}`).
 */
export interface JwtIssuer {
  /** The JWKS URL to configure on the JWT auth mount. */
  readonly jwksUrl: string;
  /** ACTIONS_ID_TOKEN_REQUEST_URL of the fake runner (already has a query, like GitHub's). */
  readonly githubRequestUrl: string;
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN the fake runner accepts. */
  readonly githubRequestToken: string;
  /** Every JWT signed so far (the leak scan looks for each). */
  readonly issued: readonly string[];
  /** Audiences GitHub tokens were requested for, in order. */
  readonly requestedAudiences: readonly (string | null)[];
  /** Signs an RS256 JWT with the issuer's key (or another key with `foreignKey`). */
  sign(claims: JwtClaims, options?: { foreignKey?: boolean; nowSeconds?: number }): string;
  close(): Promise<void>;
}

/** Starts the issuer; GitHub tokens carry `githubClaims` plus the requested `aud`. */
export async function startJwtIssuer(githubClaims: JwtClaims = {}): Promise<JwtIssuer> {
  const kid = randomUUID();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const requestToken = `gh-request-${randomUUID()}`;
  const audiences: (string | null)[] = [];
  const issued: string[] = [];
  const signWith = (key: KeyObject, claims: JwtClaims, nowSeconds: number) => {
    const header = { alg: 'RS256', typ: 'JWT', kid };
    const body = { iat: nowSeconds, nbf: nowSeconds, exp: nowSeconds + 300, ...claims };
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${encode(header)}.${encode(body)}`;
    const jwt = `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
    issued.push(jwt);
    return jwt;
  };
  const now = () => Math.floor(Date.now() / 1000);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://issuer');
    if (url.pathname === '/jwks') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }],
        }),
      );
      return;
    }
    if (
      url.pathname === '/github/token' &&
      req.headers.authorization === `Bearer ${requestToken}`
    ) {
      const audience = url.searchParams.get('audience');
      audiences.push(audience);
      const claims = { ...githubClaims, ...(audience === null ? {} : { aud: audience }) };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ count: 1, value: signWith(privateKey, claims, now()) }));
      return;
    }
    res.writeHead(url.pathname === '/github/token' ? 401 : 404, {
      'content-type': 'application/json',
    });
    res.end(JSON.stringify({ message: 'Bad credentials' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  return {
    jwksUrl: `${base}/jwks`,
    githubRequestUrl: `${base}/github/token?api-version=2.0`,
    githubRequestToken: requestToken,
    requestedAudiences: audiences,
    issued,
    sign: (claims, options = {}) =>
      signWith(
        options.foreignKey === true ? foreign : privateKey,
        claims,
        options.nowSeconds ?? now(),
      ),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
