/**
 * Bolt's HTTP receiver with Slack's request signature checked here instead of by Bolt. The rules are
 * Bolt's (v0 HMAC-SHA256 over "v0:<timestamp>:<body>", refused when older than five minutes, 401
 * with no body), but the compare is one `timingSafeEqual` with the secret keyed once: Bolt's compare
 * (tsscmp) draws random bytes and computes two more HMACs with a fresh key on every request, the
 * largest single CPU cost of an acknowledgement (see bench/README.md, bot ack).
 */
import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { parse as parseQuery } from "node:querystring";
import {
  type BufferedIncomingMessage,
  type CustomRoute,
  defaultBodyLimit,
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
 * Why a request is not from Slack, or undefined when its signature is good. The timestamp is read
 * as a number and written back into the base string, as Bolt does, so both accept the same requests.
 */
export function signatureProblem(
  key: KeyObject,
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  nowMs: number,
): string | undefined {
  const signature = singleHeader(headers, "x-slack-signature");
  const timestampHeader = singleHeader(headers, "x-slack-request-timestamp");
  if (signature === undefined || timestampHeader === undefined)
    return "x-slack-signature or x-slack-request-timestamp missing";
  const timestamp = Number(timestampHeader);
  if (Number.isNaN(timestamp)) return "x-slack-request-timestamp is not a number";
  if (timestamp < Math.floor(nowMs / 1000) - MAX_AGE_SECONDS)
    return "x-slack-request-timestamp is more than 5 minutes old";
  if (!signature.startsWith(`${VERSION}=`)) return "unknown signature version";
  const expected = createHmac("sha256", key).update(`${VERSION}:${timestamp}:`).update(rawBody).digest("hex");
  // Lengths are not secret; equal-length strings are compared in constant time.
  if (signature.length !== SIGNATURE_LENGTH) return "signature mismatch";
  const given = Buffer.from(signature.slice(VERSION.length + 1), "latin1");
  if (!timingSafeEqual(given, Buffer.from(expected, "latin1"))) return "signature mismatch";
  return undefined;
}

/** Slack's SSL check is answered without a signature, as Bolt does, with anything else in it dropped. */
function isSslCheck(request: IncomingMessage, rawBody: Buffer): boolean {
  if (request.headers["content-type"] !== "application/x-www-form-urlencoded") return false;
  return parseQuery(rawBody.toString()).ssl_check === "1";
}

export interface SignedReceiverOptions {
  signingSecret: string;
  endpoint: string;
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

  const refuse = (response: ServerResponse, status: number) => {
    response.writeHead(status);
    response.end();
  };

  const checkThenDispatch = async (request: IncomingMessage, response: ServerResponse) => {
    // Bolt's own buffering (same body limit): it keeps the bytes on the request and does not read again.
    let buffered: BufferedIncomingMessage;
    try {
      buffered = await HTTPModuleFunctions.bufferIncomingMessage(request, defaultBodyLimit);
    } catch (error) {
      if (isRawBodyError(error) && (error.type === "entity.too.large" || error.statusCode === 413)) {
        logger.warn(`Request body exceeded the maximum allowed size (limit: ${error.limit} bytes)`);
        refuse(response, 413);
        return;
      }
      logger.warn(`Failed to read the request body: ${(error as Error).message}`);
      refuse(response, 401);
      return;
    }
    if (isSslCheck(request, buffered.rawBody)) {
      buffered.rawBody = Buffer.from("ssl_check=1");
    } else {
      const problem = signatureProblem(key, request.headers, buffered.rawBody, now());
      if (problem !== undefined) {
        logger.warn(`Failed to verify the request signature: ${problem}`);
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
