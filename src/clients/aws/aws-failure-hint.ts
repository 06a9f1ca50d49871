import type { OutcomeClass } from '../../context/operation.js';
import { networkFailureOf } from '../../resilience/network-failure.js';
import type { AwsService } from './aws-commands.js';

/** Where an SDK client sends its calls: a custom endpoint and the setting that named it. */
export interface AwsEndpoint {
  readonly url: string;
  /** `aws.endpoint`, `AWS_ENDPOINT_URL_<SERVICE>` or `AWS_ENDPOINT_URL`. */
  readonly setting: string;
}

/** What a hint needs to know of the failed call's client. */
export interface AwsCallScope {
  readonly service: AwsService;
  readonly region: string;
  /** Undefined when the SDK's own endpoint for the service and region is used. */
  readonly endpoint?: AwsEndpoint | undefined;
}

/** Each service as AWS names it. */
const SERVICE_NAMES: Readonly<Record<AwsService, string>> = {
  secretsmanager: 'Secrets Manager',
  sts: 'STS',
  s3: 'S3',
  organizations: 'Organizations',
  'sso-admin': 'IAM Identity Center',
  identitystore: 'Identity Store',
  ssm: 'Systems Manager (SSM)',
};

/** The SDK's error names for credentials AWS itself refused (wrong, expired or revoked keys). */
const REFUSED_CREDENTIALS =
  /^(InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch|InvalidSignatureException|ExpiredToken|ExpiredTokenException|AuthFailure)$/;

/** An answer that is not the service's protocol: an HTML page, a foreign server's JSON. */
const FOREIGN_ANSWER = /Deserialization error|is not valid JSON|Unexpected token|char '<'/;

/** `AWS STS in us-east-1 at http://127.0.0.1:5000 (AWS_ENDPOINT_URL)`. */
export function describeAwsService(scope: AwsCallScope): string {
  const at =
    scope.endpoint === undefined ? '' : ` at ${scope.endpoint.url} (${scope.endpoint.setting})`;
  return `AWS ${SERVICE_NAMES[scope.service]} in ${scope.region}${at}`;
}

/**
 * The fix for a failed AWS call, naming the service, region, endpoint and the setting to change,
 * or undefined when nothing better than AWS's own words is known.
 */
export function awsFailureHint(
  scope: AwsCallScope,
  outcome: OutcomeClass,
  cause: unknown,
): string | undefined {
  const service = describeAwsService(scope);
  const { name, message } = fieldsOf(cause);
  if (outcome === 'access_denied' && REFUSED_CREDENTIALS.test(name))
    return `${service} refused the credentials (wrong, expired or revoked): renew the credentials of the default chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE, web identity, or the instance or task role)`;
  const endpointFix =
    scope.endpoint === undefined
      ? `check aws.region (or AWS_REGION) and this machine's network path to AWS (proxy, firewall)`
      : `correct ${scope.endpoint.setting}, or unset it to use AWS itself`;
  switch (networkFailureOf(cause)) {
    case 'refused':
      return `nothing listens at the endpoint of ${service}: start the service there, or ${endpointFix}`;
    case 'dns':
      return `the endpoint host of ${service} does not resolve: ${endpointFix}`;
    case 'tls_to_plain':
      return `${service} answers in plain HTTP, not TLS: use http:// in ${scope.endpoint?.setting ?? 'the endpoint'}`;
    case 'closed':
      return `${service} closed the connection without an answer (a TLS listener does that to plain HTTP): use https:// if it serves TLS, or ${endpointFix}`;
    case undefined:
      break;
  }
  if (FOREIGN_ANSWER.test(message))
    return `the answer of ${service} is not an AWS ${SERVICE_NAMES[scope.service]} response: ${endpointFix}; an emulator must serve ${SERVICE_NAMES[scope.service]} in region ${scope.region}`;
  return undefined;
}

function fieldsOf(cause: unknown): { name: string; message: string } {
  const record: Record<string, unknown> =
    typeof cause === 'object' && cause !== null ? (cause as Record<string, unknown>) : {};
  return {
    name: typeof record.name === 'string' ? record.name : '',
    message: typeof record.message === 'string' ? record.message : '',
  };
}
