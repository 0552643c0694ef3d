import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type NotifyResult,
  parseNotifyOn,
  postSlackMessages,
  postSlackNotification,
  shouldNotify,
  slackTargetFrom,
} from "../../shared/notify/index.js";
import type { SlackMessage } from "../../shared/slack/blocks.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { type FakeWebhook, startFakeWebhook } from "./webhook-server.js";

const WEBHOOK_PATH = "/services/T000/B000/canary-webhook-path-9f2b";
const BOT_TOKEN = "xoxb-canary-bot-token-41d8c3";

const MESSAGE: SlackMessage = {
  text: "Credential audit: healthy",
  blocks: [{ type: "section", text: { type: "mrkdwn", text: ":white_check_mark: all good" } }],
};

function warningOf(result: NotifyResult): string {
  if (result.ok) throw new Error("expected a warning");
  return result.warning;
}

function expectSecretFree(text: string, webhook?: FakeWebhook): void {
  expect(text).not.toContain("canary-webhook-path");
  expect(text).not.toContain(BOT_TOKEN);
  if (webhook) expect(text).not.toContain(webhook.url(WEBHOOK_PATH));
}

describe("postSlackNotification via an incoming webhook", () => {
  let webhook: FakeWebhook;
  beforeEach(async () => {
    webhook = await startFakeWebhook();
  });
  afterEach(async () => {
    await webhook.close();
  });

  it("posts the text and blocks as JSON", async () => {
    const result = await postSlackNotification({ webhookUrl: webhook.url(WEBHOOK_PATH) }, MESSAGE);
    expect(result).toEqual({ ok: true });
    expect(webhook.posts).toEqual([{ path: WEBHOOK_PATH, body: MESSAGE, raw: JSON.stringify(MESSAGE) }]);
  });

  it("a non-200 answer is a warning with Slack's error word and without the URL", async () => {
    webhook.answer({ status: 404, body: "no_service" });
    const warning = warningOf(
      await postSlackNotification({ webhookUrl: webhook.url(WEBHOOK_PATH) }, MESSAGE),
    );
    expect(warning).toBe("Slack notification not sent: the Slack webhook answered HTTP 404 (no_service).");
  });

  it("an answer that echoes the URL is not repeated", async () => {
    webhook.answer({ status: 400, body: `bad request for ${webhook.url(WEBHOOK_PATH)}` });
    const warning = warningOf(
      await postSlackNotification({ webhookUrl: webhook.url(WEBHOOK_PATH) }, MESSAGE),
    );
    expect(warning).toBe("Slack notification not sent: the Slack webhook answered HTTP 400.");
    expectSecretFree(warning, webhook);
  });

  it("a timeout is a warning", async () => {
    webhook.answer({ status: 200, body: "ok", hang: true });
    const started = Date.now();
    const warning = warningOf(
      await postSlackNotification({ webhookUrl: webhook.url(WEBHOOK_PATH) }, MESSAGE, { timeoutMs: 200 }),
    );
    expect(warning).toBe("Slack notification not sent: Slack did not answer within 0.2 s.");
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("a malformed URL is a warning that does not repeat it", async () => {
    const warning = warningOf(
      await postSlackNotification({ webhookUrl: "hooks.slack.com/canary-webhook-path" }, MESSAGE),
    );
    expect(warning).toBe("Slack notification not sent: the Slack webhook URL is not an http(s) URL.");
  });

  it("posts every part of a split message, stopping at the first failure", async () => {
    const parts = [MESSAGE, { ...MESSAGE, text: "part 2" }, { ...MESSAGE, text: "part 3" }];
    expect(await postSlackMessages({ webhookUrl: webhook.url(WEBHOOK_PATH) }, parts)).toEqual({ ok: true });
    expect(webhook.posts).toHaveLength(3);
    webhook.answer({ status: 500, body: "internal_error" });
    expect((await postSlackMessages({ webhookUrl: webhook.url(WEBHOOK_PATH) }, parts)).ok).toBe(false);
    expect(webhook.posts).toHaveLength(4);
  });
});

describe("postSlackNotification with network failures", () => {
  it("a refused connection is a warning naming the error code, not the URL", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const url = `http://127.0.0.1:${port}${WEBHOOK_PATH}`;
    const warning = warningOf(await postSlackNotification({ webhookUrl: url }, MESSAGE));
    expect(warning).toBe("Slack notification not sent: could not reach Slack (ECONNREFUSED).");
    const bot = warningOf(
      await postSlackNotification(
        { botToken: BOT_TOKEN, channel: "C1", apiUrl: `http://127.0.0.1:${port}/api/` },
        MESSAGE,
      ),
    );
    expect(bot).toBe("Slack notification not sent: could not reach Slack (ECONNREFUSED).");
  });
});

describe("postSlackNotification with a bot token", () => {
  let slack: FakeSlack;
  beforeEach(async () => {
    slack = await startFakeSlack();
  });
  afterEach(async () => {
    await slack.close();
  });

  it("calls chat.postMessage with the channel and the blocks", async () => {
    const result = await postSlackNotification(
      { botToken: BOT_TOKEN, channel: "C0PLATFORM", apiUrl: slack.apiUrl },
      MESSAGE,
    );
    expect(result).toEqual({ ok: true });
    const [call] = slack.callsTo("chat.postMessage");
    expect(call?.args).toMatchObject({ channel: "C0PLATFORM", text: MESSAGE.text, blocks: MESSAGE.blocks });
    expect(slack.everything()).not.toContain(BOT_TOKEN);
  });

  it("accepts an API URL without the trailing slash", async () => {
    const result = await postSlackNotification(
      { botToken: BOT_TOKEN, channel: "C1", apiUrl: slack.apiUrl.replace(/\/$/, "") },
      MESSAGE,
    );
    expect(result).toEqual({ ok: true });
  });

  it("Slack's ok:false is a warning with its error", async () => {
    slack.on("chat.postMessage", () => ({ ok: false, error: "channel_not_found" }));
    const warning = warningOf(
      await postSlackNotification({ botToken: BOT_TOKEN, channel: "C404", apiUrl: slack.apiUrl }, MESSAGE),
    );
    expect(warning).toBe("Slack notification not sent: Slack refused the message (channel_not_found).");
  });

  it("an error echoing the token is not repeated", async () => {
    slack.on("chat.postMessage", () => ({ ok: false, error: `invalid_auth ${BOT_TOKEN}` }));
    const warning = warningOf(
      await postSlackNotification({ botToken: BOT_TOKEN, channel: "C1", apiUrl: slack.apiUrl }, MESSAGE),
    );
    expect(warning).toBe("Slack notification not sent: Slack refused the message (no reason given).");
    expectSecretFree(warning);
  });

  it("an empty channel is a warning", async () => {
    const warning = warningOf(await postSlackNotification({ botToken: BOT_TOKEN, channel: " " }, MESSAGE));
    expect(warning).toBe("Slack notification not sent: a Slack bot token needs a channel (slack-channel).");
  });
});

describe("Slack inputs", () => {
  it("choose a webhook or a bot, and refuse ambiguous or incomplete settings by input name", () => {
    expect(slackTargetFrom({})).toBeUndefined();
    expect(slackTargetFrom({ webhookUrl: " https://hooks.example/x " })).toEqual({
      webhookUrl: "https://hooks.example/x",
    });
    expect(slackTargetFrom({ botToken: BOT_TOKEN, channel: "C1", apiUrl: "" })).toEqual({
      botToken: BOT_TOKEN,
      channel: "C1",
    });
    expect(slackTargetFrom({ webhookUrl: "https://x", botToken: BOT_TOKEN })).toEqual({
      error: "set either slack-webhook-url or slack-bot-token, not both",
    });
    expect(slackTargetFrom({ botToken: BOT_TOKEN })).toEqual({
      error: "slack-bot-token needs slack-channel",
    });
    expect(slackTargetFrom({ channel: "C1" })).toEqual({ error: "slack-channel needs slack-bot-token" });
  });

  it("notify-on decides when to post", () => {
    expect(parseNotifyOn("")).toBe("always");
    expect(parseNotifyOn("Failure")).toBe("failure");
    expect(parseNotifyOn("sometimes")).toEqual({
      error: 'notify-on must be one of always, failure, never, not "sometimes"',
    });
    expect(shouldNotify("always", true)).toBe(true);
    expect(shouldNotify("failure", true)).toBe(false);
    expect(shouldNotify("failure", false)).toBe(true);
    expect(shouldNotify("never", false)).toBe(false);
  });
});
