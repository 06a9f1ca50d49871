import {
  DescribeAccountCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-organizations';
import type { Account } from '@aws-sdk/client-organizations';
import type { Discovery } from '../../config/types.js';
import { mapLimit } from '../../core/concurrency.js';
import { OperationError } from '../../context/operation-error.js';
import type { AppLogger } from '../../observability/logger.js';
import {
  accountStatusOf,
  compareText,
  applyAccountFilter,
  describeTagFilters,
  statusDropReason,
  tagDropReason,
} from '../../core/account-filters.js';
import type { DiscoveredAccount, FilterOutcome } from '../../core/account-filters.js';
import { cachedLoad, callerClient } from './caller-client.js';
import type { AwsClientFactory } from './client-factory.js';
import { collectPages } from './paginate.js';
import type { Page } from './paginate.js';

/** Organizations discovery settings of one dynamic target. */
export type OrganizationsDiscovery = NonNullable<Discovery['organizations']>;

/** Where discovery runs and how wide it fans out. */
export interface DirectoryOptions {
  readonly region: string;
  /** Calls in flight at once (OU walk, tag reads); Organizations allows only a few per second. */
  readonly concurrency: number;
}

/**
 * Accounts from AWS Organizations: the accounts of OUs (recursively on request), or of the whole
 * organization. Every list and tag read is cached for the run, so dynamic targets that share
 * OUs or accounts cost one call each.
 */
export class OrganizationsDirectory {
  private readonly accountsByParent = new Map<string, Promise<DiscoveredAccount[]>>();
  private readonly ousByParent = new Map<string, Promise<string[]>>();
  private readonly tagsById = new Map<string, Promise<Record<string, string>>>();
  private readonly describedById = new Map<string, Promise<DiscoveredAccount | undefined>>();
  private readonly everyAccount = new Map<'all', Promise<DiscoveredAccount[]>>();
  private deniedWarned = false;

  constructor(
    private readonly factory: AwsClientFactory,
    private readonly rootId: string | undefined,
    private readonly options: DirectoryOptions,
    private readonly logger: AppLogger,
  ) {}

  /**
   * Accounts under the configured OUs (or the whole organization: from `aws.organizations.root_id`
   * when set, else ListAccounts), without excluded statuses, then — only when tag filters are
   * configured — with their tags read (a few at a time) and filtered. Says what each filter kept
   * and dropped.
   */
  async discover(
    settings: OrganizationsDiscovery,
  ): Promise<{ accounts: DiscoveredAccount[]; filters: FilterOutcome[] }> {
    const listed = await this.list(settings);
    const live = applyAccountFilter(
      `organizations.exclude_statuses [${settings.excludeStatuses.join(', ')}]`,
      listed,
      (account) => statusDropReason(account, settings.excludeStatuses),
    );
    if (settings.tags.length === 0) return { accounts: [...live.kept], filters: [live] };
    const tagged = await mapLimit(live.kept, this.options.concurrency, async (account) => ({
      ...account,
      tags: await this.tagsOf(account.id),
    }));
    const matching = applyAccountFilter(
      `organizations.tags [${describeTagFilters(settings.tags)}]`,
      tagged,
      (account) => tagDropReason(account.tags, settings.tags),
    );
    return { accounts: [...matching.kept], filters: [live, matching] };
  }

  /**
   * Name and status of one account (DescribeAccount), or undefined when Organizations does not
   * know it or the caller may not ask (logged once): names are then left to other sources.
   */
  describe(accountId: string): Promise<DiscoveredAccount | undefined> {
    return cachedLoad(this.describedById, accountId, async () => {
      try {
        const client = await this.client();
        const reply = await client.send(new DescribeAccountCommand({ AccountId: accountId }));
        return reply.Account === undefined ? undefined : toDiscovered(reply.Account);
      } catch (error) {
        this.rethrowUnlessUnavailable(error, accountId);
        return undefined;
      }
    });
  }

  private list(settings: OrganizationsDiscovery): Promise<DiscoveredAccount[]> {
    if (settings.ous.length > 0) return this.walk(settings.ous, settings.recursive);
    if (this.rootId !== undefined) return this.walk([this.rootId], true);
    return cachedLoad(this.everyAccount, 'all', () => this.listEveryAccount());
  }

  /** Breadth-first over the OU tree, one level at a time with bounded fan-out. */
  private async walk(parents: readonly string[], recursive: boolean): Promise<DiscoveredAccount[]> {
    const found = new Map<string, DiscoveredAccount>();
    const seen = new Set(parents);
    let level = [...seen];
    while (level.length > 0) {
      const results = await mapLimit(level, this.options.concurrency, (parent) =>
        Promise.all([this.accountsIn(parent), recursive ? this.ousIn(parent) : []]),
      );
      for (const [accounts] of results) for (const a of accounts) found.set(a.id, a);
      level = results.flatMap(([, children]) => children).filter((ou) => !seen.has(ou));
      for (const ou of level) seen.add(ou);
    }
    return [...found.values()].sort((a, b) => compareText(a.id, b.id));
  }

  private accountsIn(parentId: string): Promise<DiscoveredAccount[]> {
    return cachedLoad(this.accountsByParent, parentId, () =>
      this.pages(`accounts of ${parentId}`, async (client, token) => {
        const reply = await client.send(
          new ListAccountsForParentCommand({ ParentId: parentId, NextToken: token }),
        );
        return { items: reply.Accounts?.flatMap(toDiscoveredList), next: reply.NextToken };
      }),
    );
  }

  private ousIn(parentId: string): Promise<string[]> {
    return cachedLoad(this.ousByParent, parentId, () =>
      this.pages(`organizational units of ${parentId}`, async (client, token) => {
        const reply = await client.send(
          new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken: token }),
        );
        const ids = (reply.OrganizationalUnits ?? []).flatMap((ou) => ou.Id ?? []);
        return { items: ids, next: reply.NextToken };
      }),
    );
  }

  private async listEveryAccount(): Promise<DiscoveredAccount[]> {
    const accounts = await this.pages('accounts of the organization', async (client, token) => {
      const reply = await client.send(new ListAccountsCommand({ NextToken: token }));
      return { items: reply.Accounts?.flatMap(toDiscoveredList), next: reply.NextToken };
    });
    return accounts.sort((a, b) => compareText(a.id, b.id));
  }

  private tagsOf(accountId: string): Promise<Record<string, string>> {
    // ListTagsForResource is paginated in the API (moto does not page it; AWS may).
    return cachedLoad(this.tagsById, accountId, async () => {
      const tags = await this.pages(`tags of ${accountId}`, async (client, token) => {
        const reply = await client.send(
          new ListTagsForResourceCommand({ ResourceId: accountId, NextToken: token }),
        );
        return { items: reply.Tags, next: reply.NextToken };
      });
      return Object.fromEntries(
        tags.flatMap((tag) => (tag.Key === undefined ? [] : [[tag.Key, tag.Value ?? '']])),
      );
    });
  }

  private pages<T>(
    what: string,
    fetch: (client: OrganizationsClientOf, token: string | undefined) => Promise<Page<T>>,
  ): Promise<T[]> {
    return collectPages(what, async (token) => fetch(await this.client(), token));
  }

  private client(): Promise<OrganizationsClientOf> {
    return callerClient(this.factory, 'organizations', this.options.region);
  }

  /** Not found and access denied mean "no name from here"; anything else is a real failure. */
  private rethrowUnlessUnavailable(error: unknown, accountId: string): void {
    if (!(error instanceof OperationError)) throw error;
    if (error.fields.outcome === 'not_found') return;
    if (error.fields.outcome !== 'access_denied') throw error;
    if (!this.deniedWarned) {
      this.deniedWarned = true;
      this.logger.warn(
        { account_id: accountId, request_id: error.fields.requestId },
        'cannot read account names from Organizations (access denied): accounts found by Identity Center or an account list are named by id; grant organizations:DescribeAccount to name them',
      );
    }
  }
}

type OrganizationsClientOf = Awaited<ReturnType<typeof callerClient<'organizations'>>>;

function toDiscoveredList(account: Account): DiscoveredAccount[] {
  const discovered = toDiscovered(account);
  return discovered === undefined ? [] : [discovered];
}

function toDiscovered(account: Account): DiscoveredAccount | undefined {
  if (account.Id === undefined) return undefined;
  return {
    id: account.Id,
    name: account.Name ?? '',
    status: accountStatusOf(account.Status, account.State),
    tags: {},
  };
}
