import { DataError } from '../../core/errors.js';

/** One page of an AWS list call: its items and the token of the next page, if any. */
export interface Page<T> {
  readonly items: readonly T[] | undefined;
  readonly next: string | undefined;
}

/**
 * Follows the page token until the service stops returning one: the one pagination loop for
 * every AWS list call. A page may be empty and still carry a token (Organizations and Identity
 * Center do this), so only the token ends the loop; a token the service already returned means
 * it is looping, which ends the run's listing with an error instead of looping forever.
 * `what` names the listing in that error.
 */
export async function collectPages<T>(
  what: string,
  fetchPage: (token: string | undefined) => Promise<Page<T>>,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    items.push(...(page.items ?? []));
    token = page.next === '' ? undefined : page.next;
    if (token !== undefined && seen.has(token))
      throw new DataError(
        `listing ${what}: the service returned page token "${token.slice(0, 16)}…" a second time after ${seen.size + 1} pages; stopping instead of looping`,
      );
    if (token !== undefined) seen.add(token);
  } while (token !== undefined);
  return items;
}
