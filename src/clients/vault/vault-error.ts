/**
 * A Vault answer that is not a success, with Vault's own `errors` text (never a secret value).
 * `outcome`, when set, overrides the classification by status (see `VaultRequest.refusal`).
 */
export class VaultResponseError extends Error {
  constructor(
    readonly status: number,
    readonly errors: readonly string[],
    readonly retryAfterMs: number | undefined,
    readonly outcome?: 'invalid_request' | 'conflict',
  ) {
    super(describeStatus(status, errors));
    this.name = 'VaultResponseError';
  }
}

function describeStatus(status: number, errors: readonly string[]): string {
  const text = errors
    .map((error) =>
      error
        .replace(/^\d+ errors? occurred:\s*/, '')
        .replace(/\s*\*\s*/g, ' ')
        .trim(),
    )
    .filter((error) => error !== '')
    .join('; ');
  const meaning: Record<number, string> = {
    400: 'invalid request',
    403: 'permission denied',
    404: 'not found',
    405: 'unsupported operation',
    412: 'standby not yet consistent',
    429: 'rate limited',
    500: 'internal server error',
    502: 'upstream error',
    503: 'Vault is sealed or unavailable',
  };
  const base = meaning[status] ?? `HTTP ${status}`;
  return text === '' || text === base ? base : `${base}: ${text}`;
}

/** Vault answered 2xx with a body we cannot use; never retried, reported with the field. */
export class VaultShapeError extends Error {
  readonly outcome = 'internal';
  constructor(detail: string) {
    super(`unexpected response from Vault: ${detail}`);
    this.name = 'VaultShapeError';
  }
}
