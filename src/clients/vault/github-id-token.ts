import { z } from 'zod';
import type { CallExternal } from '../../resilience/call-wrapper.js';
import { VaultConfigError } from './vault-config-error.js';

const idTokenAnswer = z.object({ value: z.string().min(1) });

/** What the GitHub Actions runner gives a job that has `permissions: id-token: write`. */
export interface GitHubIdTokenRequest {
  readonly requestUrl: string | undefined;
  readonly requestToken: string | undefined;
  readonly audience: string | undefined;
}

/** The job's token endpoint answered with an error status. */
class IdTokenRequestError extends Error {
  constructor(
    readonly status: number,
    readonly outcome: 'access_denied' | 'invalid_request' | undefined,
  ) {
    super(`the GitHub Actions ID token endpoint answered HTTP ${status}`);
    this.name = 'IdTokenRequestError';
  }
}

/**
 * Requests the job's OIDC ID token (a JWT) for `audience` from ACTIONS_ID_TOKEN_REQUEST_URL,
 * authenticated by ACTIONS_ID_TOKEN_REQUEST_TOKEN, through the one call wrapper. A fresh token is
 * requested for every login: they live minutes.
 */
export async function requestGitHubIdToken(
  request: GitHubIdTokenRequest,
  call: CallExternal,
): Promise<string> {
  const { requestUrl, requestToken } = request;
  if (requestUrl === undefined || requestToken === undefined)
    throw new VaultConfigError(
      'vault.auth.jwt.github_actions needs ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN, which GitHub sets only in a job with `permissions: id-token: write`: add that permission to the job (or workflow)',
    );
  const url = new URL(requestUrl);
  if (request.audience !== undefined) url.searchParams.set('audience', request.audience);
  const answer = await call(
    {
      dependency: `github-oidc:${url.origin}`,
      labels: { kind: 'vault' },
      operation: 'vault.id_token',
      path: `${url.origin}${url.pathname}`,
      hintFor: (outcome) =>
        outcome === 'access_denied'
          ? 'the runner refused the request token: the job needs `permissions: id-token: write`'
          : undefined,
    },
    async (signal) => {
      const response = await fetch(url, {
        headers: { authorization: `Bearer ${requestToken}`, accept: 'application/json' },
        signal,
      });
      const text = await response.text();
      if (!response.ok) throw new IdTokenRequestError(response.status, outcomeOf(response.status));
      return text;
    },
  );
  const parsed = idTokenAnswer.safeParse(safeJson(answer));
  if (!parsed.success)
    throw new VaultConfigError(
      'the GitHub Actions ID token endpoint answered without a token (no "value" field)',
    );
  return parsed.data.value;
}

function outcomeOf(status: number): 'access_denied' | 'invalid_request' | undefined {
  if (status === 401 || status === 403) return 'access_denied';
  return status >= 400 && status < 500 && status !== 429 ? 'invalid_request' : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
