/*
 * Two targets that write the same secret names into the same account and region fight over
 * them: the first run fails one with AWS's bare "already exists". Found from settings alone, so
 * `validate` says it for static targets and a run says it after discovery, before any write.
 */

/** Where one target writes: account (undefined: the caller's own), region and name prefix. */
export interface DestinationClaim {
  readonly name: string;
  readonly accountId: string | undefined;
  readonly region: string;
  readonly secretPrefix: string;
  /** `allow_shared_prefix: true`: the target shares names deliberately. */
  readonly allowShared: boolean;
}

/** Two targets whose secret names can collide. */
export interface SharedDestination {
  readonly first: DestinationClaim;
  readonly second: DestinationClaim;
}

/** Every pair of targets with the same account and region and overlapping prefixes, in order. */
export function findSharedDestinations(claims: readonly DestinationClaim[]): SharedDestination[] {
  const pairs: SharedDestination[] = [];
  claims.forEach((first, index) => {
    for (const second of claims.slice(index + 1)) {
      if (collide(first, second)) pairs.push({ first, second });
    }
  });
  return pairs;
}

function collide(a: DestinationClaim, b: DestinationClaim): boolean {
  return (
    !a.allowShared &&
    !b.allowShared &&
    a.accountId === b.accountId &&
    a.region === b.region &&
    (a.secretPrefix.startsWith(b.secretPrefix) || b.secretPrefix.startsWith(a.secretPrefix))
  );
}

/** The message for one colliding pair: both targets, the place and prefixes, and the fixes. */
export function describeSharedDestination({ first, second }: SharedDestination): string {
  const account =
    first.accountId === undefined ? "the caller's account" : `account ${first.accountId}`;
  return (
    `targets "${first.name}" and "${second.name}" both write to ${account} in ${first.region} ` +
    `with overlapping secret prefixes ${JSON.stringify(first.secretPrefix)} and ` +
    `${JSON.stringify(second.secretPrefix)}, so their secret names can collide: give them ` +
    `prefixes where neither starts with the other, or set allow_shared_prefix: true on one of ` +
    `them if sharing is deliberate (the secretsync:target ownership tag keeps each one's secrets apart)`
  );
}
