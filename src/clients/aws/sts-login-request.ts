import type { AwsCredentialIdentity } from '@smithy/types';
import { signWithSdk } from './sigv4-signer.js';

/** AWS keys as the Vault adapter sees them (the SDK's credential identity, without SDK types). */
export interface AwsKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

/** The body of `auth/<mount>/login` for the IAM method, as Vault's API docs give it. */
export interface AwsIamLoginBody {
  readonly role: string;
  readonly iam_http_request_method: 'POST';
  /** Base64 of the STS URL the request was signed for. */
  readonly iam_request_url: string;
  /** Base64 of the form body `Action=GetCallerIdentity&Version=2011-06-15`. */
  readonly iam_request_body: string;
  /** Base64 of the JSON object of signed headers (name → values). */
  readonly iam_request_headers: string;
}

/** How to sign the GetCallerIdentity request. */
export interface AwsLoginSigning {
  readonly role: string;
  readonly credentials: AwsKeys;
  /** Region signed for; undefined: us-east-1 at the global endpoint, Vault's default. */
  readonly region: string | undefined;
  /** An STS endpoint to sign for instead of AWS's (AWS_ENDPOINT_URL_STS, an emulator). */
  readonly endpoint: string | undefined;
  /** The mount's iam_server_id_header_value, sent signed as X-Vault-AWS-IAM-Server-ID. */
  readonly headerValue: string | undefined;
  readonly date: Date;
}

const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
const SERVER_ID_HEADER = 'x-vault-aws-iam-server-id';

/** The STS URL signed for: the override, the regional endpoint, or the global one. */
export function stsUrlFor(region: string | undefined, endpoint: string | undefined): URL {
  if (endpoint !== undefined) return new URL(endpoint.endsWith('/') ? endpoint : `${endpoint}/`);
  return new URL(
    region === undefined ? 'https://sts.amazonaws.com/' : `https://sts.${region}.amazonaws.com/`,
  );
}

/**
 * Signs `sts:GetCallerIdentity` with the caller's credentials and packs it the way Vault's AWS
 * auth method takes it: Vault forwards the request to STS and learns who signed it.
 */
export async function awsIamLoginBody(signing: AwsLoginSigning): Promise<AwsIamLoginBody> {
  const url = stsUrlFor(signing.region, signing.endpoint);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
  };
  if (signing.headerValue !== undefined) headers[SERVER_ID_HEADER] = signing.headerValue;
  const signed = await signWithSdk(
    { method: 'POST', url, headers, body: BODY },
    {
      credentials: toIdentity(signing.credentials),
      region: signing.region ?? 'us-east-1',
      service: 'sts',
      date: signing.date,
    },
  );
  const asLists = Object.fromEntries(
    Object.entries(signed).map(([name, value]) => [name, [value]]),
  );
  return {
    role: signing.role,
    iam_http_request_method: 'POST',
    iam_request_url: base64(url.href),
    iam_request_body: base64(BODY),
    iam_request_headers: base64(JSON.stringify(asLists)),
  };
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function toIdentity(keys: AwsKeys): AwsCredentialIdentity {
  return keys.sessionToken === undefined
    ? { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey }
    : { ...keys, sessionToken: keys.sessionToken };
}
