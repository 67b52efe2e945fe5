import { AwsError } from '../domain/errors';
import { toAwsError } from './errors';

/**
 * Page caps for the SDK paginators. A paginator that repeats its token stops (moto loops forever
 * on duplicate Identity Center assignments); one that runs past the cap fails instead of
 * returning a silently truncated list.
 */

/** Generous: ListAccounts returns 20 per page, so this covers 20,000 accounts. */
export const DEFAULT_MAX_PAGES = 1000;

/** An SDK paginator function such as `paginateListAccounts`. */
type Paginate<C, I, P> = (
  config: { client: C; stopOnSameToken?: boolean; startingToken?: string },
  input: I,
) => AsyncIterable<P>;

/** Yields the items of each page, at most `maxPages` pages; failures leave as AwsError. */
async function* pagedItems<P, T>(
  operation: string,
  pages: AsyncIterable<P>,
  pick: (page: P) => T[] | undefined,
  maxPages: number,
): AsyncGenerator<T> {
  let count = 0;
  try {
    for await (const page of pages) {
      count += 1;
      if (count > maxPages) {
        throw new AwsError(operation, 'PageLimitExceeded', `more than ${maxPages} pages`, false);
      }
      yield* pick(page) ?? [];
    }
  } catch (err) {
    throw toAwsError(operation, err);
  }
}

/** Runs one client's paginators with the page cap and the repeated-token stop. */
export class Pages<C> {
  constructor(
    private readonly client: C,
    private readonly maxPages: number = DEFAULT_MAX_PAGES,
  ) {}

  /** The items page by page; the caller may stop early. */
  items<I, P, T>(
    operation: string,
    paginate: Paginate<C, I, P>,
    input: I,
    pick: (page: P) => T[] | undefined,
  ): AsyncGenerator<T> {
    const pages = paginate({ client: this.client, stopOnSameToken: true }, input);
    return pagedItems(operation, pages, pick, this.maxPages);
  }

  /** Every item of every page. */
  async collect<I, P, T>(
    operation: string,
    paginate: Paginate<C, I, P>,
    input: I,
    pick: (page: P) => T[] | undefined,
  ): Promise<T[]> {
    const all: T[] = [];
    for await (const item of this.items(operation, paginate, input, pick)) all.push(item);
    return all;
  }

  /** The first item that matches, reading no further pages than needed. */
  async find<I, P, T>(
    operation: string,
    paginate: Paginate<C, I, P>,
    input: I,
    pick: (page: P) => T[] | undefined,
    matches: (item: T) => boolean,
  ): Promise<T | undefined> {
    for await (const item of this.items(operation, paginate, input, pick)) {
      if (matches(item)) return item;
    }
    return undefined;
  }

  /** One page from `token` (the first page without one): its items and the next page's token. */
  async page<I, P extends { NextToken?: string }, T>(
    operation: string,
    paginate: Paginate<C, I, P>,
    input: I,
    pick: (page: P) => T[] | undefined,
    token?: string,
  ): Promise<{ items: T[]; nextToken?: string }> {
    const config = { client: this.client, stopOnSameToken: true, ...(token ? { startingToken: token } : {}) };
    try {
      for await (const page of paginate(config, input)) {
        const next = page.NextToken;
        return { items: pick(page) ?? [], ...(next && next !== token ? { nextToken: next } : {}) };
      }
    } catch (err) {
      throw toAwsError(operation, err);
    }
    return { items: [] };
  }
}
