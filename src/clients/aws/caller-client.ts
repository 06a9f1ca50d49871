import type { AwsClientFactory } from './client-factory.js';

/** Services discovery calls as the caller. */
type DiscoveryService = 'organizations' | 'sso-admin' | 'identitystore' | 'ssm';

/**
 * The client of `service` with the base credentials. Discovery runs as the caller (the
 * management or delegated administrator account): Organizations, Identity Center and the
 * account list live there, never in the member accounts.
 */
export async function callerClient<S extends DiscoveryService>(
  factory: AwsClientFactory,
  service: S,
  region: string,
) {
  const caller = await factory.callerIdentity();
  return factory.client(service, { kind: 'caller', accountId: caller.accountId }, region);
}

/**
 * The cached promise for `key`, loading it on first use. A rejected load is forgotten, so a
 * later call in the same run may try again instead of replaying the failure.
 */
export function cachedLoad<K, V>(
  cache: Map<K, Promise<V>>,
  key: K,
  load: () => Promise<V>,
): Promise<V> {
  let promise = cache.get(key);
  if (promise === undefined) {
    promise = load();
    cache.set(key, promise);
    promise.catch(() => cache.delete(key));
  }
  return promise;
}
