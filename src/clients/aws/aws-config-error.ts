import { SecretSyncError } from '../../core/errors.js';
import { checkKnownRegion } from '../../core/aws-regions.js';

/** The AWS settings cannot work (an unknown region); fixed in config, not by retrying. */
export class AwsConfigError extends SecretSyncError {
  readonly code = 'config_invalid';
  readonly fault = 'user';
  constructor(message: string) {
    super(message);
    this.name = 'AwsConfigError';
  }
}

/**
 * Refuses a region AWS does not have before any call is made: a typo such as `us-est-1` in
 * AWS_REGION otherwise fails as a DNS error, or as an emulator's HTML page, in every account.
 */
export function assertKnownRegion(region: string): void {
  const problem = checkKnownRegion(region);
  if (problem !== undefined)
    throw new AwsConfigError(
      `AWS region ${problem} Set the target's region, aws.region, or AWS_REGION (AWS_DEFAULT_REGION) when aws.region is not set, to a region AWS has`,
    );
}
