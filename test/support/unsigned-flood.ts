/**
 * A flood of bodies nobody signed, as an attacker sends them to the bot's events endpoint: 4 MiB
 * each, without signature headers or with a well-formed, fresh signature that is not the body's.
 * Shared by test/abuse/bot-unsigned-body-flood (what is refused, resident memory) and
 * bench/bot-flood.ts (a signed command's ack time during the flood).
 */
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";

export const FLOOD_BODY = Buffer.alloc(4 * 1024 * 1024, "a");

/** A well-formed, fresh signature that is not the body's (the HMAC is checked only once read). */
export function forgedSignatureHeaders(): Record<string, string> {
  return {
    "x-slack-request-timestamp": String(Math.floor(Date.now() / 1000)),
    "x-slack-signature": `v0=${"0".repeat(64)}`,
  };
}

/** One flood request to `eventsUrl`, the whole body written; resolves once answered or cut off. */
function floodRequest(eventsUrl: string, headers: Record<string, string>, chunked: boolean): Promise<void> {
  const url = new URL(eventsUrl);
  return new Promise((resolve) => {
    const request = httpRequest({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...headers,
        ...(chunked ? {} : { "content-length": String(FLOOD_BODY.length) }),
      },
    });
    request.on("error", () => resolve());
    request.on("response", (response) => {
      response.resume();
      response.on("end", () => resolve());
      response.on("error", () => resolve());
    });
    request.on("close", () => resolve());
    request.end(FLOOD_BODY);
  });
}

/** One wave: `count` requests at once, alternating no signature / a forged one, a third streamed. */
export async function floodWave(eventsUrl: string, count: number): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, (_, index) =>
      floodRequest(eventsUrl, index % 2 === 0 ? {} : forgedSignatureHeaders(), index % 3 === 0),
    ),
  );
}

/** A process's resident memory now, from /proc (Linux). */
export function residentBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("VmRSS:"));
  return Number(/(\d+)/.exec(line ?? "")?.[1] ?? 0) * 1024;
}
