import type { FilterOutcome } from '../core/account-filters.js';
import { describeAccount } from '../core/account-filters.js';
import type { AppLogger } from './logger.js';

/**
 * Says what one discovery filter did for a dynamic target: at info how many accounts it kept and
 * dropped, at debug each dropped account and why.
 */
export function logFilterOutcome(
  logger: AppLogger,
  dynamicTarget: string,
  outcome: FilterOutcome,
): void {
  const total = outcome.kept.length + outcome.dropped.length;
  logger.info(
    {
      dynamic_target: dynamicTarget,
      filter: outcome.filter,
      kept: outcome.kept.length,
      dropped: outcome.dropped.length,
    },
    `dynamic target ${dynamicTarget}: ${outcome.filter} kept ${outcome.kept.length} of ${total} account(s), dropped ${outcome.dropped.length}`,
  );
  for (const { account, reason } of outcome.dropped)
    logger.debug(
      { dynamic_target: dynamicTarget, filter: outcome.filter, account_id: account.id },
      `dynamic target ${dynamicTarget}: dropped account ${describeAccount(account)} by ${outcome.filter}: ${reason}`,
    );
}
