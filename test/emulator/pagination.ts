/**
 * Cursor pagination for the List RPCs. Tokens are opaque (base64url of the creation sequence number of
 * the last item returned and the time the token was issued), so items created or deleted between
 * pages never shift a page boundary. Page size: default 25, maximum 100 (the spec: "Defaults to 25.
 * Maximum 100."); above 100 is invalid_argument as a proto-validated API (page_size lte 100) answers.
 * Query `token`/`pageSize` (what the official SDK sends) take precedence over `pagination` in the body.
 */
import { invalidArgument } from "./connect-errors.js";
import type { PaginationRequest } from "./messages.js";

const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 100;
const TOKEN_PREFIX = "emu2:";

export interface PageRequest {
  afterSeq: number;
  pageSize: number;
}

/** The issue time is only written when tokens expire, so tokens are otherwise deterministic. */
function encodePageToken(seq: number, issuedAt = 0): string {
  return Buffer.from(`${TOKEN_PREFIX}${seq}:${issuedAt}`, "utf8").toString("base64url");
}

function decodePageToken(token: string, ttlSeconds: number): number {
  const text = Buffer.from(token, "base64url").toString("utf8");
  const [seqText, issuedText] = text.startsWith(TOKEN_PREFIX)
    ? text.slice(TOKEN_PREFIX.length).split(":")
    : [];
  const seq = Number(seqText);
  const issuedAt = Number(issuedText);
  if (!Number.isSafeInteger(seq) || seq < 0 || !Number.isSafeInteger(issuedAt)) {
    throw invalidArgument("pagination.token: invalid page token");
  }
  if (ttlSeconds > 0 && Date.now() - issuedAt > ttlSeconds * 1000) {
    throw invalidArgument(
      `pagination.token: page token expired (older than ${ttlSeconds} s); list again from the start`,
    );
  }
  return seq;
}

function parsePageSize(raw: string | number | undefined, source: string): number {
  if (raw === undefined || raw === "") return DEFAULT_PAGE_SIZE;
  const size = typeof raw === "number" ? raw : /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(size)) throw invalidArgument(`${source}: must be an integer`);
  if (size < 0 || size > MAX_PAGE_SIZE) {
    throw invalidArgument(`${source}: value must be less than or equal to ${MAX_PAGE_SIZE} (got ${size})`);
  }
  return size === 0 ? DEFAULT_PAGE_SIZE : size;
}

export function resolvePageRequest(
  body: PaginationRequest | undefined,
  query: Readonly<Record<string, string>>,
  ttlSeconds = 0,
): PageRequest {
  const pageSize =
    query.pageSize !== undefined
      ? parsePageSize(query.pageSize, "pageSize query parameter")
      : parsePageSize(body?.pageSize, "pagination.page_size");
  const token = query.token || body?.token || "";
  return { pageSize, afterSeq: token ? decodePageToken(token, ttlSeconds) : 0 };
}

/** The pagination answer: a next token after the last item when more follow, none on the last page. */
export function nextPage(
  page: { items: readonly { seq: number }[]; hasMore: boolean },
  ttlSeconds = 0,
): { nextToken?: string } {
  const last = page.items.at(-1);
  return page.hasMore && last
    ? { nextToken: encodePageToken(last.seq, ttlSeconds > 0 ? Date.now() : 0) }
    : {};
}
