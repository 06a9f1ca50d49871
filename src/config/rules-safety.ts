import { describeSharedDestination, findSharedDestinations } from '../core/shared-destinations.js';
import type { DestinationClaim } from '../core/shared-destinations.js';
import { joinPath } from '../core/secret-path.js';
import { DEFAULTS } from './defaults.js';
import { nonEmpty } from './env-substitution.js';
import type { Environment } from './env-substitution.js';
import type { ConfigRule, RuleFinding } from './rule.js';
import { entriesOf } from './rule.js';
import type { ConfigFile } from './schema.js';

/*
 * Rules that keep data where it belongs: the merge store out of every source's tree, and two
 * targets off each other's secret names.
 */

/** True when one path is the other or lies inside it, compared whole segment by segment. */
export function pathsOverlap(a: string, b: string): boolean {
  const [x, y] = [joinPath(a), joinPath(b)];
  return x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`);
}

/**
 * A Vault merge store owns everything under its mount setting: bundles at `<mount>/<target>/`
 * (target names of discovered accounts are only known at run time) and state at
 * `<mount>/.secretsync/`. A Vault source on the same server reading that location, or a folder
 * that contains it, would read them back as secrets and push them into AWS.
 */
const mergeStoreOutsideSources: ConfigRule = {
  name: 'merge-store-outside-sources',
  check: (file) => {
    const store = file.merge_store?.vault?.mount;
    if (store === undefined) return [];
    return entriesOf(file.sources).flatMap(([name, source]): RuleFinding[] => {
      const vault = source.vault;
      if (vault === undefined || !sameVault(file, vault)) return [];
      const root = joinPath(vault.mount, vault.path);
      if (!pathsOverlap(root, store)) return [];
      const at = joinPath(store);
      return [
        {
          path: ['merge_store', 'vault', 'mount'],
          message:
            `merge store "${at}" overlaps source "${name}" (Vault ${root}): the store keeps ` +
            `bundles at ${at}/<target>/ and its state at ${at}/.secretsync/, which the source ` +
            `would read back and sync into AWS; give the merge store a mount of its own ` +
            `(e.g. merge_store.vault.mount: secretsync-merged) or point the source outside ${at}/`,
        },
      ];
    });
  },
};

/** A source with its own address or namespace reads another Vault than the merge store. */
function sameVault(
  file: ConfigFile,
  source: { readonly address?: string | undefined; readonly namespace?: string | undefined },
): boolean {
  const sameAddress = source.address === undefined || source.address === file.vault?.address;
  const sameNamespace =
    source.namespace === undefined || source.namespace === file.vault?.namespace;
  return sameAddress && sameNamespace;
}

/** Static targets that write overlapping secret names into the same account and region. */
const distinctDestinations: ConfigRule = {
  name: 'distinct-target-destinations',
  check: (file, env) =>
    findSharedDestinations(staticClaims(file, env)).map((pair) => ({
      path: ['targets', pair.second.name],
      message: describeSharedDestination(pair),
    })),
};

function staticClaims(file: ConfigFile, env: Environment): DestinationClaim[] {
  // The same fallbacks normalize.ts applies; the rules run before it.
  const region =
    file.aws?.region ??
    nonEmpty(env.AWS_REGION) ??
    nonEmpty(env.AWS_DEFAULT_REGION) ??
    DEFAULTS.aws.region;
  return entriesOf(file.targets).map(([name, entry]) => {
    const full = Array.isArray(entry) ? { imports: entry } : entry;
    return {
      name,
      accountId: full.account_id,
      region: full.region ?? region,
      secretPrefix: full.secret_prefix ?? '',
      allowShared: full.allow_shared_prefix ?? false,
    };
  });
}

/** Rules that keep the merge store and the targets from writing over each other's data. */
export const safetyRules: readonly ConfigRule[] = [mergeStoreOutsideSources, distinctDestinations];
