/**
 * Bodies nobody signed, sent to the bot to fill its memory: a request without fresh signature
 * headers is refused before its body is read (the answer comes while the client is still sending),
 * a declared or streamed body over BOT_MAX_BODY_BYTES (256 KiB) is refused, and a flood of 3 waves
 * of 60 requests of 4 MiB raises the bot's resident memory by under 64 MB while a signed `help`
 * still gets its answer. The bot as a process over HTTP; memory read from /proc (bytes, not time).
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotProcess, sendCommand, startBotProcess } from "../bot/bot-process.js";
import { BOT_TOKEN, SIGNING_SECRET } from "../bot/harness.js";
import { type Emulator, RUNNER_EU_ID, startEmulator } from "../emulator/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { signedHeaders } from "../support/slack-signing.js";
import { FLOOD_BODY, floodWave, forgedSignatureHeaders, residentBytes } from "../support/unsigned-flood.js";
import { waitUntil } from "../support/wait.js";

const MiB = 1024 * 1024;
const FORM = "application/x-www-form-urlencoded";

let emu: Emulator | undefined;
let slack: FakeSlack | undefined;
let bot: BotProcess | undefined;

beforeAll(async () => {
  emu = await startEmulator();
  slack = await startFakeSlack();
  bot = await startBotProcess({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    GITPOD_API_KEY: emu.token,
    GITPOD_BASE_URL: emu.url,
    GITPOD_RUNNER_IDS: RUNNER_EU_ID,
    SLACK_ROTATE_USER_IDS: "U0ADMIN",
    SLACK_AUDIT_CHANNEL_ID: "C0AUDIT",
    DATABASE_URL: "sqlite::memory:",
  });
}, 60_000);
afterAll(async () => {
  bot?.child.kill("SIGKILL");
  await bot?.exited();
  await slack?.close();
  await emu?.close();
});

function running(): BotProcess {
  if (!bot) throw new Error("the bot is not running");
  return bot;
}

interface Early {
  status: number;
  /** Body bytes the client had written when the answer arrived. */
  sentBytes: number;
}

/**
 * Declares (or streams, without a length) `declaredBytes`, sends only the first `sentBytes` (16 KiB)
 * and waits for the answer: it must come before the rest is sent, so it cannot depend on the rest.
 */
async function answerBeforeBody(
  headers: Record<string, string>,
  declaredBytes: number | "chunked",
  sentBytes = 16 * 1024,
): Promise<Early> {
  const url = new URL(`${running().url}/slack/events`);
  const first = FLOOD_BODY.subarray(0, sentBytes);
  const request = httpRequest({
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: "POST",
    headers: {
      "content-type": FORM,
      ...headers,
      ...(declaredBytes === "chunked" ? {} : { "content-length": String(declaredBytes) }),
    },
  });
  request.on("error", () => {});
  let answered: IncomingMessage | undefined;
  request.on("response", (response) => {
    answered = response;
    response.resume();
  });
  request.write(first);
  try {
    const response = await waitUntil(() => answered, {
      what: "an answer while the body is still unsent",
      timeoutMs: 5000,
    });
    return { status: response.statusCode ?? 0, sentBytes: first.length };
  } finally {
    request.destroy();
  }
}

describe("bodies are not read before the signature headers say Slack sent them", () => {
  it("no signature headers, or a stale timestamp: 401 before the body is sent", async () => {
    const none = await answerBeforeBody({}, 4 * MiB);
    expect(none).toEqual({ status: 401, sentBytes: 16 * 1024 });
    const staleAt = Date.now() - 10 * 60 * 1000;
    const stale = await answerBeforeBody(signedHeaders(SIGNING_SECRET, "text=help", staleAt), 4 * MiB);
    expect(stale.status).toBe(401);
    const streamed = await answerBeforeBody({ "x-slack-signature": `v0=${"0".repeat(64)}` }, "chunked");
    expect(streamed.status).toBe(401);
  });

  it("a fresh signature with a declared body over 256 KiB: 413 before the body is sent", async () => {
    const declared = await answerBeforeBody(forgedSignatureHeaders(), 256 * 1024 + 1);
    expect(declared.status).toBe(413);
  });

  it("a streamed body with a fresh signature is read only up to 256 KiB", async () => {
    // No length declared: the client sends 300 KiB and waits; the bot stops reading at the limit.
    const streamed = await answerBeforeBody(forgedSignatureHeaders(), "chunked", 300 * 1024);
    expect(streamed.status).toBe(413);
  });

  it("at most 16 MiB of unverified bodies are read at once: after 64 slow streams a larger body is 503 unread, a command is still read", async () => {
    const url = new URL(`${running().url}/slack/events`);
    const slow = Array.from({ length: 64 }, () => {
      const request = httpRequest({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: { "content-type": FORM, ...forgedSignatureHeaders() },
      });
      request.on("error", () => {});
      return request;
    });
    try {
      // Each stream is counted at the 256 KiB limit while the bot waits for the rest of it.
      await Promise.all(
        slow.map((request) => new Promise<void>((resolve) => request.write("a=1", () => resolve()))),
      );
      // A signed help after them is still read (a body declared under 16 KiB always is); by its
      // answer the bot has seen the streams' first bytes.
      const help = await sendCommand(running(), slack as FakeSlack, "help", "U0ADMIN");
      expect(help.status).toBe(200);
      // A larger body is not: the budget is spent.
      const probe = await answerBeforeBody(forgedSignatureHeaders(), 64 * 1024);
      expect(probe.status).toBe(503);
    } finally {
      for (const request of slow) request.destroy();
    }
    // Once they are gone, bodies are read again.
    const after = await sendCommand(running(), slack as FakeSlack, "help", "U0ADMIN");
    expect(after.status).toBe(200);
  });

  it("a flood of 3 waves of 60 requests of 4 MiB raises the bot's memory by under 64 MB, and a signed help is answered", async () => {
    const target = running();
    const pid = target.child.pid ?? 0;
    const sent = await sendCommand(target, slack as FakeSlack, "help", "U0ADMIN");
    expect(sent.status).toBe(200);
    const before = residentBytes(pid);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, residentBytes(pid));
    }, 10);
    try {
      for (let wave = 0; wave < 3; wave++) {
        const flood = floodWave(`${target.url}/slack/events`, 60);
        if (wave === 1) {
          const help = await sendCommand(target, slack as FakeSlack, "help", "U0ADMIN");
          expect(help.status).toBe(200);
          await (slack as FakeSlack).waitFor((call) => call.responseUrlId === help.responseUrlId, 15_000);
        }
        await flood;
      }
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, residentBytes(pid));
    expect(target.child.exitCode).toBeNull();
    expect(peak - before).toBeLessThan(64 * 1000 * 1000);
    // The refusals are logged, but not 180 lines of them.
    const warnings = target.events().filter((line) => line.level === "warn");
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.length).toBeLessThanOrEqual(25);
  }, 120_000);
});
