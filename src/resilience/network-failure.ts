/**
 * Which way a connection to a dependency failed before any answer came back, read from Node's
 * error codes and OpenSSL's texts. The adapters turn the kind into a hint naming their service,
 * address and setting; the classifier turns it into readable words in place of OpenSSL's record
 * dump.
 */
export type NetworkFailureKind =
  /** Nothing listens at the address (ECONNREFUSED). */
  | 'refused'
  /** The host name does not resolve (ENOTFOUND, EAI_AGAIN). */
  | 'dns'
  /** https:// to a server that answered in plain HTTP (OpenSSL "wrong version number"). */
  | 'tls_to_plain'
  /** The connection closed before any answer: what a TLS listener does to plain http://. */
  | 'closed';

/** The readable words for each kind, used in place of the raw system or OpenSSL text. */
const WORDS: Readonly<Record<NetworkFailureKind, string>> = {
  refused: 'connection refused',
  dns: 'host name does not resolve',
  tls_to_plain: 'TLS handshake failed: the server answered in plain HTTP, not TLS',
  closed: 'connection closed by the server without a complete answer',
};

/** OpenSSL's words when the peer's first bytes are not a TLS record (plain HTTP on the port). */
const NOT_TLS =
  /wrong version number|packet length too long|unknown protocol|http request|record layer failure/i;

/** The kind of a connection failure, or undefined for any other error (an HTTP answer). */
export function networkFailureOf(error: unknown): NetworkFailureKind | undefined {
  const { code, message } = fieldsOf(error);
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (
    code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
    (/^(EPROTO|ERR_SSL_\w+)?$/.test(code) && NOT_TLS.test(message))
  )
    return 'tls_to_plain';
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(message)) return 'closed';
  return undefined;
}

/**
 * The failure in readable words with the peer it names (`connection refused (127.0.0.1:1)`), or
 * undefined when the error is not a connection failure or its text is already readable.
 */
export function networkFailureText(error: unknown): string | undefined {
  const kind = networkFailureOf(error);
  if (kind === undefined) return undefined;
  const { message } = fieldsOf(error);
  const peer = /(?:ECONNREFUSED|ENOTFOUND|EAI_AGAIN)\s+(\S+)/.exec(message)?.[1];
  return peer === undefined ? WORDS[kind] : `${WORDS[kind]} (${peer})`;
}

function fieldsOf(error: unknown): { code: string; message: string } {
  const record: Record<string, unknown> =
    typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const cause = record.cause as Record<string, unknown> | undefined;
  const code =
    typeof record.code === 'string'
      ? record.code
      : typeof cause?.code === 'string'
        ? cause.code
        : '';
  const message = typeof record.message === 'string' ? record.message : '';
  return { code, message };
}
