/**
 * Slack answers one call with 429 and `Retry-After: 3600`. The Web API client used to pause every
 * call for that hour: each follow-up hung, the in-flight limit filled and everyone was told "busy"
 * while /healthz said ok. Now the wait is capped: the command that needed the limited method is
 * told so in words, other commands are answered, and /healthz reports the limit. The bot as a
 * process over signed HTTP, against the fake Slack API.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  answerTo,
  askForApproval,
  type BotWithFakes,
  clickButton,
  sendCommand,
  startBotWithFakes,
} from "../bot/bot-process.js";
import { ADMIN, AUDIT_CHANNEL } from "../bot/harness.js";

const BOB = "U0BOB";

let running: BotWithFakes | undefined;

beforeAll(async () => {
  running = await startBotWithFakes({
    approvers: [BOB],
    rotatableGitHub: true,
    // Two follow-ups at once: two hanging ones would make everyone else "busy".
    env: { BOT_MAX_IN_FLIGHT: "2" },
  });
}, 60_000);
afterAll(async () => {
  await running?.close();
});

describe("one Slack 429 with Retry-After: 3600", () => {
  it("fails the command and the button that needed the method in words, answers the others, and /healthz reports it", async () => {
    const { bot: b, slack: s } = running as BotWithFakes;
    // Before the limit: ADMIN asks to rotate, BOB approves; ADMIN's button will open the form.
    const approvalId = await askForApproval(b, s, "rotate github.com", ADMIN, "quarterly rotation");
    expect(approvalId).not.toBe("");
    const vote = await clickButton(b, s, {
      user: BOB,
      channel: AUDIT_CHANNEL,
      actionId: "approval_approve",
      value: approvalId,
    });
    expect(await answerTo(s, vote.responseUrlId)).toContain("Recorded");

    let limited = 0;
    s.on("views.open", () => {
      limited++;
      return { ok: false, error: "ratelimited", httpStatus: 429, httpHeaders: { "retry-after": "3600" } };
    });
    const healthyBefore = await fetch(`${b.url}/healthz`);
    expect(healthyBefore.status).toBe(200);

    const first = await sendCommand(b, s, "rotate github.com", ADMIN);
    expect(first.status).toBe(200);
    const told = await answerTo(s, first.responseUrlId);
    expect(told).toContain("rate limiting the bot's views.open calls");
    expect(told).toContain("3600 s");
    // The approved requester's button needs views.open too: told in words, not left waiting.
    const opened = await clickButton(b, s, {
      user: ADMIN,
      actionId: "approval_open_form",
      value: approvalId,
    });
    expect(opened.status).toBe(200);
    expect(await answerTo(s, opened.responseUrlId)).toContain("rate limiting the bot's views.open calls");

    // A second rotate is told at once, without calling Slack again; help is answered, not "busy".
    const second = await sendCommand(b, s, "rotate github.com", ADMIN);
    expect(await answerTo(s, second.responseUrlId)).toContain("rate limiting");
    expect(limited).toBe(1);
    for (let index = 0; index < 3; index++) {
      const help = await sendCommand(b, s, "help", ADMIN);
      expect(help.body).not.toContain("busy");
      expect(await answerTo(s, help.responseUrlId)).toContain("rotate");
    }

    const health = await fetch(`${b.url}/healthz`);
    expect(health.status).toBe(503);
    const body = (await health.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ ok: false, store: "ok", slack: "rate-limited" });
    expect(body.slackRateLimited).toEqual([{ method: "views.open", until: expect.any(String) }]);
    const until = Date.parse((body.slackRateLimited as Array<{ until: string }>)[0]?.until ?? "");
    expect(until - Date.now()).toBeGreaterThan(3500_000);
    expect(b.events().some((line) => line.event === "slack_rate_limited")).toBe(true);
  });
});
