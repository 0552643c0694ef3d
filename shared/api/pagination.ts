/**
 * Walks every page of a List RPC. Iterating a PageIterator yields items; `pages()` yields the raw
 * page responses. Pages are asked for 100 at a time, the API's maximum.
 */
import { GitpodApiError } from "./errors.js";
import type { PaginationRequest, PaginationResponse } from "./resources/common.wire.js";

export const PAGE_SIZE = 100;
/** 100 000 objects: far beyond any runner; a server handing out fresh tokens forever stops here. */
export const MAX_PAGES = 1000;
/** How often toArray() lists again from the start after the server refused a next-page token. */
const MAX_RESTARTS = 2;

export interface Page<T> {
  items: T[];
  nextToken: string | undefined;
}

export type FetchPage<T> = (pagination: PaginationRequest) => Promise<Page<T>>;

export class PageIterator<T> implements AsyncIterable<T> {
  readonly #rpc: string;
  readonly #fetchPage: FetchPage<T>;

  constructor(rpc: string, fetchPage: FetchPage<T>) {
    this.#rpc = rpc;
    this.#fetchPage = fetchPage;
  }

  async *pages(): AsyncGenerator<Page<T>> {
    const seen = new Set<string>();
    let token: string | undefined;
    let pages = 0;
    do {
      if (pages >= MAX_PAGES) {
        throw new GitpodApiError({
          code: "out_of_range",
          rpc: this.#rpc,
          message: `the server kept handing out page tokens past ${MAX_PAGES} pages of ${PAGE_SIZE}; stopping instead of paging forever`,
        });
      }
      pages += 1;
      const page = await this.#fetchPage(token ? { token, pageSize: PAGE_SIZE } : { pageSize: PAGE_SIZE });
      yield page;
      token = page.nextToken || undefined;
      if (token !== undefined) {
        // A server that hands out the same token twice would make us loop forever.
        if (seen.has(token)) {
          throw new GitpodApiError({
            code: "internal",
            rpc: this.#rpc,
            message: "the server repeated a page token; stopping instead of looping",
          });
        }
        seen.add(token);
      }
    } while (token !== undefined);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for await (const page of this.pages()) yield* page.items;
  }

  /**
   * Every item. A page token refused part-way (it can expire while a rate limit makes us wait)
   * restarts the listing from the first page, at most twice: a fresh start is consistent, a
   * resumed one could not be.
   */
  async toArray(): Promise<T[]> {
    for (let restarts = 0; ; restarts += 1) {
      const all: T[] = [];
      let pagesRead = 0;
      try {
        for await (const page of this.pages()) {
          all.push(...page.items);
          pagesRead += 1;
        }
        return all;
      } catch (error) {
        const tokenRefused =
          pagesRead > 0 && error instanceof GitpodApiError && error.code === "invalid_argument";
        if (!tokenRefused) throw error;
        if (restarts >= MAX_RESTARTS) {
          throw new GitpodApiError({
            code: "invalid_argument",
            rpc: this.#rpc,
            ...(error.status === undefined ? {} : { status: error.status }),
            message: `${error.rawMessage}; the next-page token was refused after ${pagesRead} page(s) (it may have expired), also after listing again from the start ${restarts} time(s)`,
          });
        }
      }
    }
  }
}

export function nextTokenOf(pagination: PaginationResponse | undefined): string | undefined {
  return pagination?.nextToken || undefined;
}

/**
 * Every item of a listing. A PageIterator collects through toArray (which lists again from the start
 * when a page token is refused); any other async iterable is read to its end.
 */
export async function collectEveryPage<T>(items: AsyncIterable<T>): Promise<T[]> {
  if (items instanceof PageIterator) return items.toArray();
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
