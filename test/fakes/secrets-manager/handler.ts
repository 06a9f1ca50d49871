import { randomUUID } from 'node:crypto';
import type { HttpHandlerOptions, HttpRequest, HttpResponse, RequestHandler } from '@smithy/types';
import { FakeServiceError } from './errors.js';

/*
 * The awsJson1_1 protocol of Secrets Manager as an in-memory smithy HTTP handler: the SDK client
 * serializes, signs and deserializes as usual, and this object stands where the network would be.
 * Behaviour: SPEC.md §1–2.
 */

/** A request as the handler passes it on: who calls, which operation, with what body. */
export interface FakeRequest {
  readonly operation: string;
  readonly accessKeyId: string | undefined;
  /** From the SigV4 credential scope; undefined for an unsigned request. */
  readonly region: string | undefined;
  readonly body: unknown;
}

/** What answers a parsed request: a JSON body, or a FakeServiceError. */
export type FakeResponder = (request: FakeRequest) => Record<string, unknown>;

const TARGET_PREFIX = 'secretsmanager.';
const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/[^/]+\/aws4_request/;

/** An smithy `HttpHandler` answering Secrets Manager requests in memory. */
export class SecretsManagerFakeHandler implements RequestHandler<
  HttpRequest,
  HttpResponse,
  HttpHandlerOptions
> {
  constructor(private readonly respond: FakeResponder) {}

  /** Answers one SDK request. */
  handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }> {
    if (options?.abortSignal?.aborted === true) {
      const aborted = new Error('Request aborted');
      aborted.name = 'AbortError';
      return Promise.reject(aborted);
    }
    return Promise.resolve({ response: this.answer(request) });
  }

  /** Part of the smithy HttpHandler interface; the fake has no configuration. */
  updateHttpClientConfig(): void {
    // Nothing to configure: no sockets, no timeouts.
  }

  /** Part of the smithy HttpHandler interface; the fake has no configuration. */
  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  /** Part of the smithy HttpHandler interface; nothing to release. */
  destroy(): void {
    // No connections to close.
  }

  private answer(request: HttpRequest): HttpResponse {
    try {
      const target = header(request, 'x-amz-target') ?? '';
      if (!target.startsWith(TARGET_PREFIX))
        throw new FakeServiceError('UnknownOperationException', `unknown target "${target}"`);
      const { accessKeyId, region } = signer(request);
      const body = parseBody(request.body);
      const operation = target.slice(TARGET_PREFIX.length);
      return jsonResponse(200, this.respond({ operation, accessKeyId, region, body }));
    } catch (error) {
      const failure =
        error instanceof FakeServiceError
          ? error
          : new FakeServiceError('InternalServiceError', `fake failed: ${String(error)}`, 500);
      return jsonResponse(
        failure.status,
        { __type: failure.type, message: failure.message },
        { 'x-amzn-errortype': failure.type },
      );
    }
  }
}

function header(request: HttpRequest, name: string): string | undefined {
  const entry = Object.entries(request.headers).find(([key]) => key.toLowerCase() === name);
  return entry?.[1];
}

/** The access key and region of the SigV4 `Authorization` header's credential scope. */
function signer(request: HttpRequest): { accessKeyId?: string; region?: string } {
  const match = CREDENTIAL.exec(header(request, 'authorization') ?? '');
  if (match === null) return {};
  return { accessKeyId: match[1] as string, region: match[2] as string };
}

function parseBody(body: unknown): unknown {
  const text =
    typeof body === 'string'
      ? body
      : body instanceof Uint8Array
        ? // Not Buffer.from(body): it calls valueOf(), which the SDK's body type warns about.
          new TextDecoder().decode(body)
        : '';
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new FakeServiceError('SerializationException', 'The request body is not valid JSON.');
  }
}

function jsonResponse(
  statusCode: number,
  body: Record<string, unknown>,
  extraHeaders: Record<string, string> = {},
): HttpResponse {
  return {
    statusCode,
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': randomUUID(),
      ...extraHeaders,
    },
    body: Buffer.from(JSON.stringify(body), 'utf8'),
  };
}
