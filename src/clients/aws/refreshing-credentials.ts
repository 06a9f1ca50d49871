import type { AwsCredentialIdentity } from '@smithy/types';

/** Refresh credentials this long before they expire. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Credentials from `load`, kept until shortly before they expire (forever when they carry no
 * expiry). Concurrent callers share one load; a failed load is forgotten, so the next call tries
 * again instead of replaying the failure.
 */
export class RefreshingCredentials {
  private current: Promise<AwsCredentialIdentity> | undefined;

  constructor(
    private readonly load: () => Promise<AwsCredentialIdentity>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Valid credentials, loading them when none are kept or they are about to expire. */
  async get(): Promise<AwsCredentialIdentity> {
    const kept = this.current;
    if (kept !== undefined) {
      const identity = await kept.catch(() => undefined);
      if (identity !== undefined && this.fresh(identity)) return identity;
      // Another caller may have started a refresh while this one waited.
      if (this.current !== kept) return this.get();
    }
    const loading = this.load();
    this.current = loading;
    loading.catch(() => {
      if (this.current === loading) this.current = undefined;
    });
    return loading;
  }

  private fresh(identity: AwsCredentialIdentity): boolean {
    const expires = identity.expiration?.getTime();
    return expires === undefined || expires - this.now() > REFRESH_MARGIN_MS;
  }
}
