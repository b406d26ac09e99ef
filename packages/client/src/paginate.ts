import { PagingError, toGraphError } from './errors.js';

/** Limits for a pager. */
export interface PageLimits {
  /**
   * Stop after this many pages. Without it, a listing that still has a next link after
   * 100,000 pages fails with `PagingError('tooManyPages')` instead of running forever.
   */
  readonly maxPages?: number;
  /** Stop after this many items (the last page is cut short). */
  readonly maxItems?: number;
}

/** One page of a collection. */
export interface Page<T> {
  readonly value: T[];
  /** The `@odata.nextLink` that follows, if any. */
  readonly nextLink: string | undefined;
  /** `@odata.count`, when `$count=true` was asked. */
  readonly count: number | undefined;
  readonly response: Response;
}

/**
 * The items of a paged collection as an async iterator, following `@odata.nextLink` one page at a
 * time; `.pages()` gives whole pages instead.
 * @see https://learn.microsoft.com/graph/paging
 */
export interface Paginator<T> extends AsyncIterable<T> {
  pages(): AsyncIterableIterator<Page<T>>;
}

interface RawResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** The request a pager makes: `path` relative to the base URL with `init` first, then absolute next links. */
export type PageRequest = (path: string, init: Record<string, unknown>) => Promise<RawResult>;

// How many recent page URLs a pager remembers to detect a loop.
const LOOP_WINDOW = 1000;
// The default bound on pages: far beyond any real listing, short of forever.
const PAGE_BOUND = 100_000;

function limit(name: string, value: number | undefined): number {
  if (value === undefined) return Infinity;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, not ${value}`);
  return value;
}

/** Creates a {@link Paginator} over `request`; a next link must be under `root` (the base URL) on its origin. */
export function createPaginator<T>(request: PageRequest, root: string, path: string, init: Record<string, unknown> & PageLimits): Paginator<T> {
  const { maxPages: pagesOption, maxItems: itemsOption, ...first } = init;
  const { origin } = new URL(root);
  const maxPages = pagesOption === undefined ? PAGE_BOUND : limit('maxPages', pagesOption);
  const maxItems = limit('maxItems', itemsOption);
  // Later pages repeat the caller's headers and signal, never the query: the link carries it (G12).
  const signal = first['signal'] as AbortSignal | undefined;
  const follow = { baseUrl: origin, headers: first['headers'], signal };

  async function* pages(): AsyncGenerator<Page<T>, undefined> {
    const seen = new Set<string>();
    // Remembers the latest URLs only, so memory stays flat however long the listing.
    const remember = (url: string): void => {
      seen.add(url);
      if (seen.size > LOOP_WINDOW) {
        for (const oldest of seen) {
          seen.delete(oldest);
          break;
        }
      }
    };
    let where = path;
    let pending = request(path, first);
    for (let number = 1, items = 0; ; number++) {
      let result: RawResult;
      try {
        result = await pending;
      } catch (error) {
        if (error instanceof SyntaxError) throw new PagingError('invalidPage', `Page ${number} (${where}) is not valid JSON: ${error.message}`, { cause: error });
        throw error;
      }
      const { data, error, response } = result;
      if (!response.ok) throw toGraphError(response, error);
      const body = data as { value?: unknown; '@odata.nextLink'?: unknown; '@odata.count'?: unknown } | undefined;
      if (!Array.isArray(body?.value)) throw new PagingError('invalidPage', `Page ${number} (${where}) has no "value" array`);
      const all = body.value as T[];
      const next = typeof body['@odata.nextLink'] === 'string' ? body['@odata.nextLink'] : undefined;
      const value = all.length > maxItems - items ? all.slice(0, maxItems - items) : all;
      items += value.length;
      // The URL this page came from counts too: a link back to page 1 is a loop before page 1 repeats.
      remember(response.url);
      yield { value, nextLink: next, count: typeof body['@odata.count'] === 'number' ? body['@odata.count'] : undefined, response };
      if (next === undefined || items >= maxItems) return;
      if (number >= maxPages) {
        if (pagesOption !== undefined) return;
        throw new PagingError('tooManyPages', `More than ${PAGE_BOUND} pages; pass maxPages to read further or to stop quietly`);
      }
      let url: URL;
      try {
        url = new URL(next);
      } catch {
        throw new PagingError('invalidPage', `Page ${number} has an @odata.nextLink that is not an absolute URL: ${next}`);
      }
      if (url.origin !== origin) {
        throw new PagingError('crossOrigin', `Refusing to follow @odata.nextLink to ${url.origin}: this client sends its token only to ${origin}`);
      }
      // The parsed href holds any user info and resolves `..`: both fail this prefix.
      if (!url.href.startsWith(`${root}/`)) {
        throw new PagingError('outsideRoot', `Refusing to follow @odata.nextLink ${url.origin}${url.pathname}: it must be under ${root}/, without user info`);
      }
      if (seen.has(url.href)) throw new PagingError('repeatedLink', `@odata.nextLink repeats a page already read (after page ${number}): ${url.href}`);
      remember(url.href);
      signal?.throwIfAborted();
      where = url.href;
      // Through the client (middleware sees every page), rebuilt from the parsed link: base URL = origin.
      pending = request(url.pathname + url.search, follow);
    }
  }

  return {
    pages,
    // Hand-written rather than an async generator: no generator machinery per item.
    [Symbol.asyncIterator]() {
      const source = pages();
      let items: readonly T[] = [];
      let index = 0;
      const refill = async (): Promise<IteratorResult<T, undefined>> => {
        while (index >= items.length) {
          // Let the page read go before the next one arrives: one page in memory, not two.
          items = [];
          const next = await source.next();
          if (next.done === true) return next;
          items = next.value.value;
          index = 0;
        }
        return { done: false, value: items[index++] as T };
      };
      return {
        next: () => (index < items.length ? Promise.resolve({ done: false, value: items[index++] as T }) : refill()),
        return: async () => {
          items = [];
          await source.return(undefined);
          return { done: true, value: undefined };
        },
      };
    },
  };
}
