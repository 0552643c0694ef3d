/**
 * Cursor pagination for the List RPCs. Tokens are opaque (base64url of the creation sequence number of
 * the last item returned), so items created or deleted between pages never shift a page boundary.
 * Page size: default 25, maximum 100; above 100 is rejected with invalid_argument as a
 * proto-validated API (page_size lte 100) does. Query `token`/`pageSize` (what the official SDK sends
 * for the next pages) take precedence over `pagination` in the body.
 */
import type { PaginationRequest } from "../../shared/api/schemas.js";
import { invalidArgument } from "./connect-errors.js";

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
const TOKEN_PREFIX = "emu1:";

export interface PageRequest {
  afterSeq: number;
  pageSize: number;
}

export function encodePageToken(seq: number): string {
  return Buffer.from(`${TOKEN_PREFIX}${seq}`, "utf8").toString("base64url");
}

function decodePageToken(token: string): number {
  const text = Buffer.from(token, "base64url").toString("utf8");
  const seq = text.startsWith(TOKEN_PREFIX) ? Number(text.slice(TOKEN_PREFIX.length)) : Number.NaN;
  if (!Number.isSafeInteger(seq) || seq < 0) throw invalidArgument("pagination.token: invalid page token");
  return seq;
}

function parsePageSize(raw: string | number | undefined, source: string): number {
  if (raw === undefined || raw === "") return DEFAULT_PAGE_SIZE;
  const size = typeof raw === "number" ? raw : /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(size)) throw invalidArgument(`${source}: must be an integer`);
  if (size < 0 || size > MAX_PAGE_SIZE) {
    throw invalidArgument(`${source}: must be between 0 and ${MAX_PAGE_SIZE} (got ${size})`);
  }
  return size === 0 ? DEFAULT_PAGE_SIZE : size;
}

export function resolvePageRequest(
  body: PaginationRequest | undefined,
  query: Readonly<Record<string, string>>,
): PageRequest {
  const pageSize =
    query.pageSize !== undefined
      ? parsePageSize(query.pageSize, "pageSize query parameter")
      : parsePageSize(body?.pageSize, "pagination.pageSize");
  const token = query.token || body?.token || "";
  return { pageSize, afterSeq: token ? decodePageToken(token) : 0 };
}

export interface Page<T> {
  items: T[];
  /** Absent on the last page (the SDK page classes stop on a missing or empty nextToken). */
  nextToken?: string;
}

/** One page of items already filtered and sorted by seq; binary search finds the start. */
export function paginate<T extends { seq: number }>(sorted: readonly T[], request: PageRequest): Page<T> {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as T).seq <= request.afterSeq) low = middle + 1;
    else high = middle;
  }
  const items = sorted.slice(low, low + request.pageSize);
  const last = items.at(-1);
  const hasMore = low + request.pageSize < sorted.length;
  return hasMore && last ? { items, nextToken: encodePageToken(last.seq) } : { items };
}
