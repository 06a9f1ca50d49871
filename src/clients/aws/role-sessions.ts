import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { accountOfArn } from '../../core/aws-formats.js';
import { DataError } from '../../core/errors.js';
import { RefreshingCredentials } from './refreshing-credentials.js';

/** Session settings shared by every assumed role. */
export interface SessionSettings {
  readonly externalId: string | undefined;
  readonly durationMs: number;
}

/**
 * STS AssumeRole sessions cached per role ARN (session name `secretsync`), refreshed before they
 * expire; concurrent callers for the same role share one AssumeRole call. The STS client carries
 * the call wrapper, so AssumeRole is its own classified operation even when an SDK client
 * resolves credentials inside another call.
 */
export class RoleSessions {
  private readonly sessions = new Map<string, RefreshingCredentials>();

  constructor(
    private readonly sts: STSClient,
    private readonly settings: SessionSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** A credentials provider for the role, for SDK clients of that account. */
  providerFor(roleArn: string): AwsCredentialIdentityProvider {
    return () => this.credentials(roleArn);
  }

  /**
   * Valid credentials for the role, assuming it when none are cached or they are about to expire;
   * their `accountId` is the account the assumed session is in.
   */
  credentials(roleArn: string): Promise<AwsCredentialIdentity> {
    let session = this.sessions.get(roleArn);
    if (session === undefined) {
      session = new RefreshingCredentials(() => this.assume(roleArn), this.now);
      this.sessions.set(roleArn, session);
    }
    return session.get();
  }

  private async assume(roleArn: string): Promise<AwsCredentialIdentity> {
    const response = await this.sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: 'secretsync',
        DurationSeconds: Math.round(this.settings.durationMs / 1000),
        ...(this.settings.externalId === undefined ? {} : { ExternalId: this.settings.externalId }),
      }),
    );
    const credentials = response.Credentials;
    if (credentials?.AccessKeyId === undefined || credentials.SecretAccessKey === undefined) {
      throw new DataError(`AssumeRole ${roleArn} returned no credentials`);
    }
    // The account the session is really in (the role's), from the answer itself: no extra call.
    const accountId = accountOfArn(response.AssumedRoleUser?.Arn ?? '');
    return {
      ...(accountId === undefined ? {} : { accountId }),
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken === undefined ? {} : { sessionToken: credentials.SessionToken }),
      ...(credentials.Expiration === undefined ? {} : { expiration: credentials.Expiration }),
    };
  }
}
