import { createHmac, createSecretKey } from "node:crypto";
import { isValidSlackRequest } from "@slack/bolt";
import { beforeAll, describe, expect, it } from "vitest";
import { signatureProblem } from "../../bot/slack/signed-receiver.js";
import { RUNNER_EU_ID } from "../emulator/index.js";
import { signedHeaders, slackSignature } from "../support/slack-signing.js";
import { waitUntil } from "../support/wait.js";
import { SIGNING_SECRET, useHarness } from "./harness.js";

describe("the bot's own signature check accepts exactly what Bolt's does", () => {
  const secret = "differential-secret-0123456789";
  const key = createSecretKey(Buffer.from(secret, "utf8"));
  const nowMs = 1_790_000_000_000;
  const nowSec = nowMs / 1000;
  const body = "token=x&command=%2Fgitpod-scm&text=list";
  const hmac = (base: string) => createHmac("sha256", secret).update(base).digest("hex");
  const timestamps = [
    String(nowSec),
    String(nowSec - 299),
    String(nowSec - 300),
    String(nowSec - 301),
    String(nowSec + 3600),
    "1.79e9",
    ` ${nowSec}`,
    "",
    "abc",
    "-1",
  ];
  const signaturesFor = (timestamp: string): string[] => {
    const good = hmac(`v0:${Number(timestamp)}:${body}`);
    return [
      `v0=${good}`,
      `v0=${good.toUpperCase()}`,
      `v0=${good.slice(0, 63)}`,
      `v0=${good}0`,
      `v1=${good}`,
      `v0=${hmac(`v0:${timestamp}:${body}tampered`)}`,
      `v0=${createHmac("sha256", "other-secret")
        .update(`v0:${Number(timestamp)}:${body}`)
        .digest("hex")}`,
      "v0=",
      "",
      good,
    ];
  };

  it("on valid, stale, future, odd timestamps and wrong, altered, truncated, other-version signatures", () => {
    let accepted = 0;
    let cases = 0;
    for (const timestamp of timestamps) {
      for (const signature of signaturesFor(timestamp)) {
        const ours =
          signatureProblem(
            key,
            { "x-slack-signature": signature, "x-slack-request-timestamp": timestamp },
            Buffer.from(body),
            nowMs,
          ) === undefined;
        const bolts = isValidSlackRequest({
          signingSecret: secret,
          body,
          headers: { "x-slack-signature": signature, "x-slack-request-timestamp": Number(timestamp) },
          nowMilliseconds: nowMs,
        });
        expect({ timestamp, signature, accepted: ours }).toEqual({ timestamp, signature, accepted: bolts });
        cases += 1;
        if (ours) accepted += 1;
      }
    }
    expect(cases).toBe(100);
    // The good signature within the window (now, -299 s, -300 s, +1 h, "1.79e9", " now"): the rest refused.
    expect(accepted).toBe(6);
  });

  it("refuses a request without either header, or with a header given twice", () => {
    const timestamp = String(nowSec);
    const signature = `v0=${hmac(`v0:${timestamp}:${body}`)}`;
    const raw = Buffer.from(body);
    expect(signatureProblem(key, { "x-slack-signature": signature }, raw, nowMs)).toMatch(/missing/);
    expect(signatureProblem(key, { "x-slack-request-timestamp": timestamp }, raw, nowMs)).toMatch(/missing/);
    expect(
      signatureProblem(
        key,
        { "x-slack-signature": signature, "x-slack-request-timestamp": [timestamp, timestamp] as never },
        raw,
        nowMs,
      ),
    ).toMatch(/missing/);
    expect(
      signatureProblem(
        key,
        { "x-slack-signature": signature, "x-slack-request-timestamp": timestamp },
        raw,
        nowMs,
      ),
    ).toBeUndefined();
  });
});

describe("signed Slack requests over HTTP", () => {
  const h = useHarness({ perSuite: true });
  beforeAll(() => {
    h.emu.state.seedScmIntegration({ runnerId: RUNNER_EU_ID, scmId: "github", host: "github.com" });
  });

  const commandBody = (text: string) => h.commandBody(text, "signature-test");
  const now = () => Math.floor(Date.now() / 1000);
  const commandsLogged = () => h.logs.filter((line) => line.includes('"event":"command"')).length;

  it("acks a correctly signed command, also one signed 4 minutes ago", async () => {
    const before = commandsLogged();
    for (const timestamp of [now(), now() - 4 * 60]) {
      const body = commandBody("help");
      const result = await h.post(body, {
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": slackSignature(SIGNING_SECRET, timestamp, body),
      });
      expect(result.status).toBe(200);
    }
    await waitUntil(() => commandsLogged() >= before + 2, { what: "both commands to be handled" });
    expect(commandsLogged()).toBe(before + 2);
  });

  it("answers 401 with no body, and runs nothing, to a wrong, stale, altered or missing signature", async () => {
    const before = commandsLogged();
    const emuRequests = h.emu.requests.count();
    const body = commandBody("list");
    const timestamp = now();
    const good = slackSignature(SIGNING_SECRET, timestamp, body);
    const attempts: Array<[string, string, Record<string, string>]> = [
      [
        "wrong secret",
        body,
        {
          "x-slack-request-timestamp": String(timestamp),
          "x-slack-signature": slackSignature("wrong", timestamp, body),
        },
      ],
      [
        "stale",
        body,
        {
          "x-slack-request-timestamp": String(timestamp - 6 * 60),
          "x-slack-signature": slackSignature(SIGNING_SECRET, timestamp - 6 * 60, body),
        },
      ],
      [
        "altered body",
        `${body}&extra=1`,
        { "x-slack-request-timestamp": String(timestamp), "x-slack-signature": good },
      ],
      ["no signature", body, { "x-slack-request-timestamp": String(timestamp) }],
      ["no timestamp", body, { "x-slack-signature": good }],
      ["no headers", body, {}],
      [
        "upper-case hex",
        body,
        { "x-slack-request-timestamp": String(timestamp), "x-slack-signature": good.toUpperCase() },
      ],
    ];
    for (const [what, sent, headers] of attempts) {
      const result = await h.post(sent, headers);
      expect({ what, status: result.status, text: result.text }).toEqual({ what, status: 401, text: "" });
    }
    // The help sent as a barrier is the one command logged since, and it reads nothing.
    await h.afterNextCommand();
    expect(commandsLogged()).toBe(before + 1);
    expect(h.emu.requests.count() + h.emu.requests.answering).toBe(emuRequests);
    const refusals = h.logs.filter((line) => line.includes("Failed to verify the request signature"));
    expect(refusals.length).toBeGreaterThanOrEqual(attempts.length);
    expect(h.logs.join("\n")).not.toContain(SIGNING_SECRET);
  });

  it("answers url_verification only when signed", async () => {
    const body = JSON.stringify({ type: "url_verification", challenge: "challenge-123" });
    const unsigned = await h.post(body, {}, "application/json");
    expect(unsigned.status).toBe(401);
    const timestamp = now();
    const signed = await h.post(
      body,
      {
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": slackSignature(SIGNING_SECRET, timestamp, body),
      },
      "application/json",
    );
    expect(signed.status).toBe(200);
    expect(signed.json).toEqual({ challenge: "challenge-123" });
  });

  it("answers Slack's unsigned SSL check without running anything smuggled into it", async () => {
    const before = commandsLogged();
    const emuRequests = h.emu.requests.count();
    const result = await h.post(`ssl_check=1&${commandBody("list")}`, {});
    expect(result.status).toBe(200);
    // The help sent as a barrier is the one command logged since, and it reads nothing.
    await h.afterNextCommand();
    expect(commandsLogged()).toBe(before + 1);
    expect(h.emu.requests.count() + h.emu.requests.answering).toBe(emuRequests);
  });

  it("answers 413 to a signed body over BOT_MAX_BODY_BYTES (256 KiB), and takes one under it", async () => {
    const signed = (body: string) => h.post(body, signedHeaders(SIGNING_SECRET, body));
    expect((await signed(commandBody(`help ${"a".repeat(256 * 1024)}`))).status).toBe(413);
    expect((await signed(commandBody(`help ${"a".repeat(200 * 1024)}`))).status).toBe(200);
    // Unsigned, it is not read at all (an SSL check is only a few fields): 401.
    expect((await h.post(`text=${"a".repeat(4 * 1024 * 1024 + 10)}`, {})).status).toBe(401);
  });
});
