/**
 * Bolt's HTTP receiver with Slack's request signature checked here instead of by Bolt. The rules are
 * Bolt's (v0 HMAC-SHA256 over "v0:<timestamp>:<body>", refused when older than five minutes, 401
 * with no body), but the compare is one `timingSafeEqual` with the secret keyed once: Bolt's compare
 * (tsscmp) draws random bytes and computes two more HMACs with a fresh key on every request, the
 * largest single CPU cost of an acknowledgement (see bench/README.md, bot ack).
 *
 * Nothing unsigned is buffered: a request without fresh signature headers is refused before its body
 * is read, a body is read only up to BOT_MAX_BODY_BYTES, and only so many at once.
 */
import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { parse as parseQuery } from "node:querystring";
import {
  type BufferedIncomingMessage,
  type CustomRoute,
  HTTPModuleFunctions,
  HTTPReceiver,
  isRawBodyError,
  type Logger,
} from "@slack/bolt";

/** Slack's replay window, as Bolt enforces it. */
const MAX_AGE_SECONDS = 5 * 60;
const VERSION = "v0";
/** "v0=" and 64 lowercase hex digits. */
const SIGNATURE_LENGTH = VERSION.length + 1 + 64;

function singleHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === "string" ? value : undefined;
}

/**
 * What is wrong with a request's signature headers alone (missing, not a number, stale, not a v0
 * signature of the right length), or undefined: checked before a byte of the body is read.
 */
function signatureHeaderProblem(headers: IncomingHttpHeaders, nowMs: number): string | undefined {
  const signature = singleHeader(headers, "x-slack-signature");
  const timestampHeader = singleHeader(headers, "x-slack-request-timestamp");
  if (signature === undefined || timestampHeader === undefined)
    return "x-slack-signature or x-slack-request-timestamp missing";
  const timestamp = Number(timestampHeader);
  if (Number.isNaN(timestamp)) return "x-slack-request-timestamp is not a number";
  if (timestamp < Math.floor(nowMs / 1000) - MAX_AGE_SECONDS)
    return "x-slack-request-timestamp is more than 5 minutes old";
  if (!signature.startsWith(`${VERSION}=`)) return "unknown signature version";
  // Lengths are not secret.
  if (signature.length !== SIGNATURE_LENGTH) return "signature mismatch";
  return undefined;
}

/**
 * Why a request is not from Slack, or undefined when its signature is good. The timestamp is read
 * as a number and written back into the base string, as Bolt does, so both accept the same requests.
 */
export function signatureProblem(
  key: KeyObject,
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  nowMs: number,
): string | undefined {
  const headerProblem = signatureHeaderProblem(headers, nowMs);
  if (headerProblem !== undefined) return headerProblem;
  const signature = singleHeader(headers, "x-slack-signature") ?? "";
  const timestamp = Number(singleHeader(headers, "x-slack-request-timestamp"));
  const expected = createHmac("sha256", key).update(`${VERSION}:${timestamp}:`).update(rawBody).digest("hex");
  // Equal-length strings are compared in constant time.
  const given = Buffer.from(signature.slice(VERSION.length + 1), "latin1");
  if (!timingSafeEqual(given, Buffer.from(expected, "latin1"))) return "signature mismatch";
  return undefined;
}

/** Slack's SSL check is answered without a signature, as Bolt does, with anything else in it dropped. */
function isSslCheck(request: IncomingMessage, rawBody: Buffer): boolean {
  if (!mayBeSslCheck(request)) return false;
  return parseQuery(rawBody.toString()).ssl_check === "1";
}

function mayBeSslCheck(request: IncomingMessage): boolean {
  return request.headers["content-type"] === "application/x-www-form-urlencoded";
}

/** An unsigned request is read only as far as an SSL check's few fields ("ssl_check=1&token=…"). */
const SSL_CHECK_MAX_BYTES = 1024;
/**
 * Bytes of bodies read at once before their signature is checked (each counted at its declared
 * length, or at the limit when streamed); past it a larger request is answered 503 unread.
 */
const MAX_UNVERIFIED_BYTES = 16 * 1024 * 1024;
/**
 * A body declared this small is always read (and counted): a command or a button press is a few
 * KiB, so slow senders holding the budget cannot keep Slack's ordinary requests out.
 */
const SMALL_BODY_BYTES = 16 * 1024;
/** A body that takes longer than this to arrive is dropped (a slow sender holds a reading slot). */
const BODY_READ_TIMEOUT_MS = 10_000;
/** Refusal warnings logged per minute; the rest are counted into the next line. */
const REFUSAL_LOG_LINES_PER_MINUTE = 20;

/** A warning at most `perMinute` times a minute; the next line after a quiet spell says how many were left out. */
function rateLimitedWarning(logger: Logger, perMinute: number, now: () => number): (message: string) => void {
  let windowStart = Number.NEGATIVE_INFINITY;
  let logged = 0;
  let left = 0;
  return (message) => {
    const at = now();
    if (at - windowStart >= 60_000) {
      windowStart = at;
      logged = 0;
    }
    if (logged >= perMinute) {
      left++;
      return;
    }
    logged++;
    const suffix = left > 0 ? ` (${left} similar refusals before this were not logged)` : "";
    left = 0;
    logger.warn(`${message}${suffix}`);
  };
}

export interface SignedReceiverOptions {
  signingSecret: string;
  endpoint: string;
  /** The largest body read (413 above it). */
  maxBodyBytes: number;
  customRoutes: CustomRoute[];
  logger: Logger;
  now?: () => number;
}

export function createSignedReceiver(options: SignedReceiverOptions): HTTPReceiver {
  if (!options.signingSecret) throw new Error("SLACK_SIGNING_SECRET is required in HTTP mode");
  const key = createSecretKey(Buffer.from(options.signingSecret, "utf8"));
  const now = options.now ?? Date.now;
  const { logger, endpoint } = options;
  // Bolt buffers and parses the body but no longer checks it: every request to the endpoint is
  // checked below before Bolt sees it.
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    signatureVerification: false,
    endpoints: endpoint,
    customRoutes: options.customRoutes,
    logger,
  });
  const boltListener = receiver.requestListener;

  const warnRefused = rateLimitedWarning(logger, REFUSAL_LOG_LINES_PER_MINUTE, now);
  let unverifiedBytes = 0;

  // An unread body stays on the wire: close the connection rather than read it to reuse it.
  const refuse = (response: ServerResponse, status: number, headers: Record<string, string> = {}) => {
    response.writeHead(status, { connection: "close", ...headers });
    response.end();
  };

  const checkThenDispatch = async (request: IncomingMessage, response: ServerResponse) => {
    // Refused before a byte of the body is read: no or stale signature headers (an SSL check, which
    // Slack does not sign, is read up to a few fields), and a declared length over the limit.
    const headerProblem = signatureHeaderProblem(request.headers, now());
    if (headerProblem !== undefined && !mayBeSslCheck(request)) {
      warnRefused(`Failed to verify the request signature: ${headerProblem}`);
      refuse(response, 401);
      return;
    }
    const limit = headerProblem === undefined ? options.maxBodyBytes : SSL_CHECK_MAX_BYTES;
    const declared = request.headers["content-length"];
    if (Number(declared ?? 0) > limit) {
      warnRefused(`Request body exceeded the maximum allowed size (limit: ${limit} bytes)`);
      refuse(response, headerProblem === undefined ? 413 : 401);
      return;
    }
    const reserved = declared === undefined ? limit : Number(declared) || 0;
    const small = declared !== undefined && reserved <= SMALL_BODY_BYTES;
    if (!small && unverifiedBytes + reserved > MAX_UNVERIFIED_BYTES) {
      warnRefused(
        `Too many unverified request bodies being read (${MAX_UNVERIFIED_BYTES} bytes at once); refused unread`,
      );
      refuse(response, 503, { "retry-after": "1" });
      return;
    }
    // Bolt's own buffering: it keeps the bytes on the request and does not read again.
    let buffered: BufferedIncomingMessage;
    unverifiedBytes += reserved;
    const slow = setTimeout(() => request.destroy(), BODY_READ_TIMEOUT_MS);
    try {
      buffered = await HTTPModuleFunctions.bufferIncomingMessage(request, limit);
    } catch (error) {
      if (isRawBodyError(error) && (error.type === "entity.too.large" || error.statusCode === 413)) {
        warnRefused(`Request body exceeded the maximum allowed size (limit: ${limit} bytes)`);
        refuse(response, headerProblem === undefined ? 413 : 401);
        return;
      }
      warnRefused(`Failed to read the request body: ${(error as Error).message}`);
      if (!request.destroyed) refuse(response, 401);
      return;
    } finally {
      clearTimeout(slow);
      unverifiedBytes -= reserved;
    }
    if (isSslCheck(request, buffered.rawBody)) {
      buffered.rawBody = Buffer.from("ssl_check=1");
    } else {
      const problem = signatureProblem(key, request.headers, buffered.rawBody, now());
      if (problem !== undefined) {
        warnRefused(`Failed to verify the request signature: ${problem}`);
        refuse(response, 401);
        return;
      }
    }
    boltListener(buffered, response);
  };

  receiver.requestListener = (request, response) => {
    // Route as Bolt does: only POSTs to the events endpoint carry Slack payloads.
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (path !== endpoint || request.method?.toUpperCase() !== "POST") {
      boltListener(request, response);
      return;
    }
    checkThenDispatch(request, response).catch((error: unknown) => {
      logger.error(`Request handling failed: ${(error as Error).message}`);
      if (!response.headersSent) refuse(response, 500);
    });
  };
  return receiver;
}
