/** One page of an AWS list call: its items and the token of the next page, if any. */
export interface Page<T> {
  readonly items: readonly T[] | undefined;
  readonly next: string | undefined;
}

/**
 * Follows `NextToken` until the service stops returning one. A page may be empty and still
 * carry a token (Organizations and Identity Center do this), so only the token ends the loop.
 * `onFurtherPage` runs once for every page after the first (the pagination metric).
 */
export async function collectPages<T>(
  fetchPage: (token: string | undefined) => Promise<Page<T>>,
  onFurtherPage: () => void,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  let first = true;
  do {
    if (!first) onFurtherPage();
    const page = await fetchPage(token);
    items.push(...(page.items ?? []));
    token = page.next === '' ? undefined : page.next;
    first = false;
  } while (token !== undefined);
  return items;
}
