/**
 * Requests signed as Slack signs them (v0: HMAC-SHA256 of "v0:timestamp:body" with the signing
 * secret), for the bot's suites and the bench.
 */
import { createHmac } from "node:crypto";

export function slackSignature(secret: string, timestampSeconds: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestampSeconds}:${body}`).digest("hex")}`;
}

/** Headers of a signed form post; Slack accepts a signature for five minutes after `now`. */
export function signedHeaders(secret: string, body: string, now = Date.now()): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  return {
    "content-type": "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": slackSignature(secret, timestamp, body),
  };
}
