import type { Operation } from '../../context/operation.js';
import type { CallExternal } from '../../resilience/call-wrapper.js';

/** The AWS services SecretSync talks to, as metric labels and breaker keys. */
export type AwsService =
  'secretsmanager' | 'sts' | 's3' | 'organizations' | 'sso-admin' | 'identitystore' | 'ssm';

/** One AWS API call: service, region, operation and the resource it touches. */
export interface AwsCallSpec {
  readonly service: AwsService;
  readonly region: string;
  readonly operation: Operation;
  /** Secret name, bucket key, role ARN or account id — never a value. */
  readonly path: string;
}

/** Runs an SDK `send` through the call wrapper: the one choke point for AWS. */
export type AwsCaller = <T>(
  spec: AwsCallSpec,
  send: (abortSignal: AbortSignal) => Promise<T>,
) => Promise<T>;

/**
 * Adapts the shared call wrapper to AWS: one breaker per service and region
 * (`aws:<service>:<region>`), shared by every account and target.
 */
export function createAwsCaller(call: CallExternal): AwsCaller {
  return (spec, send) =>
    call(
      {
        dependency: `aws:${spec.service}:${spec.region}`,
        labels: { kind: 'aws', service: spec.service },
        operation: spec.operation,
        path: spec.path,
      },
      send,
    );
}
