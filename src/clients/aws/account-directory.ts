import type { AwsSettings, DynamicTarget } from '../../config/types.js';
import { mapLimit } from '../../core/concurrency.js';
import type { AppLogger } from '../../observability/logger.js';
import {
  applyAccountFilter,
  DEFAULT_EXCLUDED_STATUSES,
  mergeDiscoveredAccounts,
  statusDropReason,
  UNKNOWN_STATUS,
} from '../../core/account-filters.js';
import type { DiscoveredAccount } from '../../core/account-filters.js';
import type { AccountDirectory } from '../../pipeline/ports.js';
import { AccountsListDirectory } from './accounts-list-directory.js';
import type { ListedAccount } from './accounts-list-directory.js';
import { cachedLoad } from './caller-client.js';
import type { AwsClientFactory } from './client-factory.js';
import { logFilterOutcome } from '../../observability/filter-log.js';
import { IdentityCenterDirectory } from './identity-center-directory.js';
import { OrganizationsDirectory } from './organizations-directory.js';

/** Discovery calls in flight at once per fan-out (Organizations allows a few calls a second). */
export const DEFAULT_DISCOVERY_CONCURRENCY = 5;

/**
 * The AccountDirectory port over AWS: Organizations, Identity Center and SSM account lists,
 * combined per dynamic target (union, one entry per account id). Results are cached per
 * discovery spec for the run, and the per-service directories cache their own calls, so the
 * pipeline, `validate` and `graph` never ask AWS the same question twice in one run.
 */
export class AwsAccountDirectory implements AccountDirectory {
  private readonly results = new Map<string, Promise<DiscoveredAccount[]>>();
  private readonly organizations: OrganizationsDirectory;
  private readonly identityCenter: IdentityCenterDirectory;
  private readonly accountsList: AccountsListDirectory;

  constructor(
    factory: AwsClientFactory,
    settings: AwsSettings,
    private readonly logger: AppLogger,
    private readonly concurrency = DEFAULT_DISCOVERY_CONCURRENCY,
  ) {
    const options = { region: settings.region, concurrency };
    this.organizations = new OrganizationsDirectory(
      factory,
      settings.organizationsRootId,
      options,
      logger,
    );
    this.identityCenter = new IdentityCenterDirectory(factory, settings.identityCenter, options);
    this.accountsList = new AccountsListDirectory(factory, settings.region);
  }

  /**
   * The union of every configured method's accounts. Accounts whose known status is excluded
   * (`organizations.exclude_statuses`, default SUSPENDED and PENDING_CLOSURE) are dropped
   * whichever method found them; an account whose status nobody could tell is kept.
   */
  discover(dynamic: DynamicTarget): Promise<DiscoveredAccount[]> {
    return cachedLoad(this.results, JSON.stringify(dynamic.discovery), () => this.run(dynamic));
  }

  private async run(dynamic: DynamicTarget): Promise<DiscoveredAccount[]> {
    const { organizations, identityCenter, accountsList } = dynamic.discovery;
    const where = `dynamic_targets.${dynamic.name}.discovery`;
    const [fromOrganizations, ...others] = await Promise.all([
      organizations === undefined
        ? { accounts: [], filters: [] }
        : this.organizations.discover(organizations),
      identityCenter === undefined
        ? []
        : this.identityCenter
            .accountIds(identityCenter, `${where}.identity_center`)
            .then((ids) => this.described(ids.map((id) => ({ id, name: '' })))),
      accountsList === undefined
        ? []
        : this.accountsList
            .accounts(accountsList.parameter)
            .then((listed) => this.described(listed)),
    ]);
    for (const outcome of fromOrganizations.filters)
      logFilterOutcome(this.logger, dynamic.name, outcome);
    const merged = mergeDiscoveredAccounts([fromOrganizations.accounts, ...others]);
    if (identityCenter === undefined && accountsList === undefined) return merged;
    // Identity Center and account lists do not filter by status themselves.
    const excluded = organizations?.excludeStatuses ?? DEFAULT_EXCLUDED_STATUSES;
    const live = applyAccountFilter(`exclude_statuses [${excluded.join(', ')}]`, merged, (a) =>
      statusDropReason(a, excluded),
    );
    logFilterOutcome(this.logger, dynamic.name, live);
    return [...live.kept];
  }

  /** Fills names (unless the list gave one) and statuses from Organizations when it knows them. */
  private described(listed: readonly ListedAccount[]): Promise<DiscoveredAccount[]> {
    return mapLimit(listed, this.concurrency, async ({ id, name }) => {
      const known = await this.organizations.describe(id);
      return {
        id,
        name: name !== '' ? name : (known?.name ?? ''),
        status: known?.status ?? UNKNOWN_STATUS,
        tags: {},
      };
    });
  }
}
