/**
 * Turning what came back (or did not) into values and GitpodApiErrors: Connect error bodies, error
 * pages from proxies, network failures, and zod issues as field paths. Pure functions; every text
 * that may echo a request is scrubbed of the call's secrets before it is kept.
 */
import type { z } from "zod";
import { scrub } from "../text/scrub.js";
import { type ConnectCode, codeFromHttpStatus, GitpodApiError, isRetryableCode } from "./errors.js";
import { redactDeep } from "./redact.js";

/** What a response body that is not JSON parses to. */
export const NOT_JSON: unique symbol = Symbol("not-json");

/** JSON.parse, with an empty body as `{}` (Connect's empty message) and garbage as NOT_JSON. */
export function parseJson(text: string): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

/** `integrations[3].id: Invalid input: expected string, received number` (at most 5 issues). */
export function describeIssues(error: z.ZodError, prefix: string): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${prefix} ${pathOf(issue.path) || "(root)"}: ${issue.message}`)
    .join("; ");
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, part) =>
      typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part),
    "",
  );
}

/**
 * For a read or an idempotent write, these answers mean "try again": the server did nothing or doing
 * it twice is harmless. For a create they prove nothing: a gateway answers 429 or 503 when its upstream
 * connection drops, after the backend may already have committed the create.
 */
export function isDefiniteRefusal(status: number | undefined): boolean {
  return status === 429 || status === 503;
}

/** A create answered with this status may have been carried out (5xx, 429 and 408 all prove nothing). */
function createMayHaveRun(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

export const OUTCOME_UNKNOWN_ADVICE =
  "the create may or may not have happened: re-read (get or list) before creating again";

/**
 * A non-200 answer as a GitpodApiError. Connect JSON bodies give code, message and details; other
 * bodies (HTML from a proxy) fall back to the code for the HTTP status. For a create, a retryable
 * answer that is not a definite refusal (502, 504, deadline_exceeded) leaves the outcome unknown.
 */
export function decodeErrorResponse(input: {
  rpc: string;
  status: number;
  text: string;
  secrets: Iterable<string>;
  creates: boolean;
  /** Added to an `unauthenticated` error: where to look, naming the token's setting. */
  unauthenticatedAdvice?: string;
}): GitpodApiError {
  const { rpc, status, secrets } = input;
  const text = scrub(input.text, secrets);
  let code: ConnectCode = codeFromHttpStatus(status);
  let message = `HTTP ${status} without a Connect error body`;
  let details: unknown[] | undefined;
  const body = parseJson(text);
  if (isRecord(body) && typeof body.code === "string" && body.code !== "") {
    code = body.code;
    // Scrubbed again after decoding: a secret echoed as `\u0026`-style escapes only appears now.
    message = scrub(typeof body.message === "string" && body.message !== "" ? body.message : code, secrets);
    if (Array.isArray(body.details)) details = redactDeep(body.details, secrets) as unknown[];
  } else if (text.trim() !== "") {
    // Scrubbed above, before cutting: a cut could otherwise leave the head of a secret behind.
    message = `${message}: ${oneLine(text).slice(0, 200)}`;
  }
  const retryable = isRetryableCode(code) || isDefiniteRefusal(status);
  const outcomeUnknown = input.creates && (retryable || createMayHaveRun(status));
  return new GitpodApiError({
    code,
    rpc,
    status,
    message: outcomeUnknown ? `${message}; ${OUTCOME_UNKNOWN_ADVICE}` : message,
    ...(details ? { details } : {}),
    ...(code === "unauthenticated" && input.unauthenticatedAdvice
      ? { advice: input.unauthenticatedAdvice }
      : {}),
    retryable,
    outcomeUnknown,
  });
}

export interface NetworkFailure {
  /** e.g. `ECONNRESET other side closed`, scrubbed. */
  message: string;
  /** The connection was never made, so the request cannot have reached the server. */
  beforeSend: boolean;
  /** A secret-free stand-in for the original error, kept as `cause`. */
  cause: Error;
}

const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

export function describeNetworkError(error: unknown, secrets: Iterable<string>): NetworkFailure {
  const record = isRecord(error) ? error : {};
  const code = typeof record.code === "string" ? record.code : "";
  const raw = typeof record.message === "string" ? record.message : String(error);
  const message = scrub(code ? `${code} ${raw}` : raw, secrets);
  // A fresh Error, not the original: undici errors can carry sockets and request options.
  const cause = Object.assign(new Error(message), { code: code || undefined });
  return { message, beforeSend: NEVER_CONNECTED.has(code), cause };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
