import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { DataError } from '../../core/errors.js';
import type { AwsCaller } from './aws-call.js';

/** Refresh a session this long before it expires. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** Session settings shared by every assumed role. */
export interface SessionSettings {
  readonly externalId: string | undefined;
  readonly durationMs: number;
}

/**
 * STS AssumeRole sessions cached per role ARN (session name `secretsync`), refreshed before they
 * expire; concurrent callers for the same role share one AssumeRole call.
 */
export class RoleSessions {
  private readonly sessions = new Map<string, Promise<AwsCredentialIdentity>>();

  constructor(
    private readonly sts: STSClient,
    private readonly region: string,
    private readonly aws: AwsCaller,
    private readonly settings: SessionSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** A credentials provider for the role, for SDK clients of that account. */
  providerFor(roleArn: string): AwsCredentialIdentityProvider {
    return () => this.credentials(roleArn);
  }

  /** Valid credentials for the role, assuming it when none are cached or they are about to expire. */
  async credentials(roleArn: string): Promise<AwsCredentialIdentity> {
    const cached = this.sessions.get(roleArn);
    if (cached !== undefined) {
      const identity = await cached.catch(() => undefined);
      const expires = identity?.expiration?.getTime() ?? 0;
      if (identity !== undefined && expires - this.now() > REFRESH_MARGIN_MS) return identity;
      if (this.sessions.get(roleArn) !== cached) return this.credentials(roleArn);
    }
    const fresh = this.assume(roleArn);
    this.sessions.set(roleArn, fresh);
    fresh.catch(() => {
      if (this.sessions.get(roleArn) === fresh) this.sessions.delete(roleArn);
    });
    return fresh;
  }

  private async assume(roleArn: string): Promise<AwsCredentialIdentity> {
    const response = await this.aws(
      { service: 'sts', region: this.region, operation: 'aws.assume_role', path: roleArn },
      (abortSignal) =>
        this.sts.send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: 'secretsync',
            DurationSeconds: Math.round(this.settings.durationMs / 1000),
            ...(this.settings.externalId === undefined
              ? {}
              : { ExternalId: this.settings.externalId }),
          }),
          { abortSignal },
        ),
    );
    const credentials = response.Credentials;
    if (credentials?.AccessKeyId === undefined || credentials.SecretAccessKey === undefined) {
      throw new DataError(`AssumeRole ${roleArn} returned no credentials`);
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken === undefined ? {} : { sessionToken: credentials.SessionToken }),
      ...(credentials.Expiration === undefined ? {} : { expiration: credentials.Expiration }),
    };
  }
}
