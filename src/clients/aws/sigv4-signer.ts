import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, HttpRequest } from '@smithy/types';

/** What to sign a request for: whose credentials, which region and service, at what time. */
export interface SigningScope {
  readonly credentials: AwsCredentialIdentity;
  readonly region: string;
  readonly service: string;
  readonly date: Date;
}

/** A plain HTTP request to sign: the SDK signer's own request shape, headers lower-case. */
export interface PlainRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Signs `request` with the AWS SDK's SigV4 signer (never our own implementation): the `host`
 * header is set from the URL, as the SDK's middleware does before it signs; no
 * `x-amz-content-sha256` header is added (STS does not need one, and SigV4's published test
 * vectors sign without it). Returns the headers to send, `authorization` and `x-amz-date` (and
 * `x-amz-security-token` for temporary credentials) included.
 */
export async function signWithSdk(
  request: PlainRequest,
  scope: SigningScope,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials: scope.credentials,
    region: scope.region,
    service: scope.service,
    sha256: Sha256,
    applyChecksum: false,
  });
  const toSign: HttpRequest = {
    method: request.method,
    protocol: request.url.protocol,
    hostname: request.url.hostname,
    ...(request.url.port === '' ? {} : { port: Number(request.url.port) }),
    path: request.url.pathname,
    query: Object.fromEntries(request.url.searchParams),
    headers: { ...request.headers, host: request.url.host },
    body: request.body,
  };
  const signed = await signer.sign(toSign, { signingDate: scope.date });
  return { ...signed.headers };
}
