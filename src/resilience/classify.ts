import type { OutcomeClass } from '../context/operation.js';
import { networkFailureText } from './network-failure.js';

/** What the wrapper needs to know about a failure to decide on retries and the breaker. */
export interface FailureClass {
  readonly outcome: Exclude<OutcomeClass, 'ok' | 'circuit_open'>;
  /** Throttling, 5xx, timeouts and network errors: worth another attempt, and a breaker failure. */
  readonly transient: boolean;
  readonly retryAfterMs: number | undefined;
  readonly reason: string;
}

/** Adapters may attach an explicit outcome to an error; it wins over the inference below. */
export interface ClassifiedFailure {
  readonly outcome: FailureClass['outcome'];
  readonly retryAfterMs?: number | undefined;
}

/** Every outcome an adapter may attach to an error; any other value is ignored. */
const FAILURE_OUTCOMES = [
  'not_found',
  'access_denied',
  'invalid_request',
  'conflict',
  'throttled',
  'unavailable',
  'timeout',
  'internal',
] as const satisfies readonly FailureClass['outcome'][];

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'TooManyRequests',
]);
const UNAVAILABLE_NAMES = new Set([
  'InternalServiceError',
  'InternalFailure',
  'ServiceUnavailable',
  'InternalServerError',
]);
const ACCESS_NAMES =
  /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|UnrecognizedClientException|InvalidClientTokenId|ExpiredToken|ExpiredTokenException|InvalidSignatureException|AuthFailure|SignatureDoesNotMatch|AWSOrganizationsNotInUseException|CredentialsProviderError)$/;
/** S3's answers to a conditional write that lost (If-Match / If-None-Match). */
const CONFLICT_NAMES = new Set(['PreconditionFailed', 'ConditionalRequestConflict']);
const NOT_FOUND_NAMES = /(NotFound|NoSuch)/;
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'ECONNABORTED',
]);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Classifies any thrown value from an external call. Never throws. */
export function classifyFailure(error: unknown): FailureClass {
  const fields = readFields(error);
  const outcome = fields.explicit ?? inferOutcome(fields);
  const transient = outcome === 'throttled' || outcome === 'unavailable' || outcome === 'timeout';
  return { outcome, transient, retryAfterMs: fields.retryAfterMs, reason: fields.message };
}

interface ErrorFields {
  readonly explicit: FailureClass['outcome'] | undefined;
  readonly status: number | undefined;
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly retryAfterMs: number | undefined;
}

function inferOutcome({ status, name, code }: ErrorFields): FailureClass['outcome'] {
  if (name === 'TimeoutError' || TIMEOUT_CODES.has(code)) return 'timeout';
  if (THROTTLING_NAMES.has(name) || status === 429) return 'throttled';
  if (CONFLICT_NAMES.has(name)) return 'conflict';
  if (NETWORK_CODES.has(code) || UNAVAILABLE_NAMES.has(name)) return 'unavailable';
  if (ACCESS_NAMES.test(name) || status === 401 || status === 403) return 'access_denied';
  if (NOT_FOUND_NAMES.test(name) || status === 404) return 'not_found';
  // 412: a Vault standby that cannot serve a consistent read yet; retrying later succeeds.
  if (status !== undefined && (status >= 500 || status === 412)) return 'unavailable';
  if (status !== undefined && status >= 400) return 'invalid_request';
  return 'internal';
}

function readFields(error: unknown): ErrorFields {
  const record: Record<string, unknown> =
    typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const metadata = record.$metadata as Record<string, unknown> | undefined;
  const status =
    numberOf(record.status) ?? numberOf(record.statusCode) ?? numberOf(metadata?.httpStatusCode);
  const explicit = FAILURE_OUTCOMES.find((outcome) => outcome === record.outcome);
  const cause = record.cause as Record<string, unknown> | undefined;
  return {
    explicit,
    status,
    name: stringOf(record.name) ?? '',
    code: stringOf(record.code) ?? stringOf(cause?.code) ?? '',
    // A connection failure in plain words, not the system's or OpenSSL's raw text.
    message: networkFailureText(error) ?? stringOf(record.message) ?? String(error),
    retryAfterMs: numberOf(record.retryAfterMs),
  };
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Parses an HTTP Retry-After header (seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number,
): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
