import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { JwtAuth } from '../../config/types.js';
import type { CallExternal } from '../../resilience/call-wrapper.js';
import { requestGitHubIdToken } from './github-id-token.js';
import { VaultConfigError } from './vault-config-error.js';

/** The claims we read before login, to name a wrong audience or an expired token ourselves. */
const claimsShape = z.object({
  aud: z.union([z.string(), z.array(z.string())]).optional(),
  exp: z.number().optional(),
});

/**
 * The JWT to log in with, fetched anew for every login: a projected service-account token file
 * is re-read (the kubelet rotates it), GitHub Actions is asked for a fresh ID token.
 */
export async function readJwt(auth: JwtAuth, call: CallExternal): Promise<string> {
  const source = auth.source;
  switch (source.kind) {
    case 'github_actions':
      return requestGitHubIdToken({ ...source, audience: auth.audience }, call);
    case 'env':
      if (source.token === undefined)
        throw new VaultConfigError(
          `vault.auth.jwt.token_env names ${source.name}, which is unset or empty: set it to the JWT, or use token_file or github_actions`,
        );
      return source.token.trim();
    case 'file':
      return readTokenFile(source.path, 'JWT', 'vault.auth.jwt.token_file');
  }
}

/** Reads a token file afresh; the error names the method and the key that sets the path. */
export async function readTokenFile(path: string, method: string, key: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    throw new VaultConfigError(
      `${method} auth needs the token file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; set ${key} (for a projected service-account token, the path of its volume mount)`,
    );
  }
}

/**
 * Checks what can be known without Vault: the token is a JWT, carries the configured audience
 * (when one is configured for a token SecretSync did not request) and has not expired. The
 * message names the claim, never the token.
 */
export function checkJwtClaims(jwt: string, auth: JwtAuth, now: number): void {
  const where = `JWT auth (auth/${auth.mount}, role ${auth.role})`;
  const claims = decodeClaims(jwt);
  if (claims === undefined)
    throw new VaultConfigError(
      `${where}: the token is not a JWT (three base64url parts with a JSON payload): check ${sourceName(auth)}`,
    );
  const audiences = claims.aud === undefined ? [] : [claims.aud].flat();
  if (auth.audience !== undefined && !audiences.includes(auth.audience))
    throw new VaultConfigError(
      `${where}: the token's audience is ${audiences.length === 0 ? 'empty' : audiences.join(', ')}, not ${auth.audience}: give a token for that audience (a projected token's audience is set in the pod spec) or change vault.auth.jwt.audience`,
    );
  if (claims.exp !== undefined && claims.exp * 1000 < now)
    throw new VaultConfigError(
      `${where}: the token expired at ${new Date(claims.exp * 1000).toISOString()} (this machine's clock says ${new Date(now).toISOString()}): ${auth.source.kind === 'file' ? 'the file is not being rotated, or ' : ''}this machine's clock is wrong`,
    );
}

function decodeClaims(jwt: string): z.infer<typeof claimsShape> | undefined {
  const parts = jwt.split('.');
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    const parsed = claimsShape.safeParse(payload);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function sourceName(auth: JwtAuth): string {
  switch (auth.source.kind) {
    case 'file':
      return `the file ${auth.source.path}`;
    case 'env':
      return `the variable ${auth.source.name}`;
    case 'github_actions':
      return 'the GitHub Actions ID token endpoint';
  }
}
