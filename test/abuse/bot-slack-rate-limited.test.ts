/**
 * Slack answers one call with 429 and `Retry-After: 3600`. The Web API client used to pause every
 * call for that hour: each follow-up hung, the in-flight limit filled and everyone was told "busy"
 * while /healthz said ok. Now the wait is capped: the command that needed the limited method is
 * told so in words, other commands are answered, and /healthz reports the limit. The bot as a
 * process over signed HTTP, against the fake Slack API.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BotProcess,
  clickButton,
  requestApproval,
  sendCommand,
  startBotProcess,
} from "../bot/bot-process.js";
import { BOT_TOKEN } from "../bot/harness.js";
import {
  type Emulator,
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  startEmulator,
} from "../emulator/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { seedGitHubIntegration } from "../support/fixtures.js";

const ADMIN = "U0ADMIN";
const BOB = "U0BOB";
const AUDIT = "C0AUDIT";

let emu: Emulator | undefined;
let slack: FakeSlack | undefined;
let bot: BotProcess | undefined;

beforeAll(async () => {
  emu = await startEmulator();
  slack = await startFakeSlack();
  seedGitHubIntegration(emu.state);
  emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [GITHUB_OAUTH_SECRET]);
  bot = await startBotProcess({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    GITPOD_API_KEY: emu.token,
    GITPOD_BASE_URL: emu.url,
    GITPOD_RUNNER_IDS: RUNNER_EU_ID,
    SLACK_ROTATE_USER_IDS: ADMIN,
    SLACK_AUDIT_CHANNEL_ID: AUDIT,
    DATABASE_URL: "sqlite::memory:",
    // Two follow-ups at once: two hanging ones would make everyone else "busy".
    BOT_MAX_IN_FLIGHT: "2",
    SLACK_ROTATE_APPROVERS: BOB,
    SLACK_ROTATE_APPROVALS_REQUIRED: "1",
  });
}, 60_000);
afterAll(async () => {
  bot?.child.kill("SIGKILL");
  await bot?.exited();
  await slack?.close();
  await emu?.close();
});

async function answer(responseUrlId: string): Promise<string> {
  const call = await (slack as FakeSlack).waitFor((entry) => entry.responseUrlId === responseUrlId, 15_000);
  return JSON.stringify(call.args);
}

describe("one Slack 429 with Retry-After: 3600", () => {
  it("fails the command and the button that needed the method in words, answers the others, and /healthz reports it", async () => {
    const b = bot as BotProcess;
    const s = slack as FakeSlack;
    // Before the limit: ADMIN asks to rotate, BOB approves; ADMIN's button will open the form.
    await requestApproval(b, s, "rotate github.com", ADMIN, "quarterly rotation");
    const request = await s.waitFor(
      (call) =>
        call.method === "chat.postMessage" &&
        call.args.channel === AUDIT &&
        JSON.stringify(call.args).includes("Approval needed"),
      15_000,
    );
    const blocks = (request.args.blocks as Array<{ elements?: Array<Record<string, string>> }>) ?? [];
    const approvalId = blocks
      .flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id === "approval_approve")?.value;
    expect(approvalId).toBeDefined();
    const vote = await clickButton(b, s, {
      user: BOB,
      channel: AUDIT,
      actionId: "approval_approve",
      value: approvalId ?? "",
    });
    expect(await answer(vote.responseUrlId)).toContain("Recorded");

    let limited = 0;
    s.on("views.open", () => {
      limited++;
      return { ok: false, error: "ratelimited", httpStatus: 429, httpHeaders: { "retry-after": "3600" } };
    });
    const healthyBefore = await fetch(`${b.url}/healthz`);
    expect(healthyBefore.status).toBe(200);

    const first = await sendCommand(b, s, "rotate github.com", ADMIN);
    expect(first.status).toBe(200);
    const told = await answer(first.responseUrlId);
    expect(told).toContain("rate limiting the bot's views.open calls");
    expect(told).toContain("3600 s");
    // The approved requester's button needs views.open too: told in words, not left waiting.
    const opened = await clickButton(b, s, {
      user: ADMIN,
      actionId: "approval_open_form",
      value: approvalId ?? "",
    });
    expect(opened.status).toBe(200);
    expect(await answer(opened.responseUrlId)).toContain("rate limiting the bot's views.open calls");

    // A second rotate is told at once, without calling Slack again; help is answered, not "busy".
    const second = await sendCommand(b, s, "rotate github.com", ADMIN);
    expect(await answer(second.responseUrlId)).toContain("rate limiting");
    expect(limited).toBe(1);
    for (let index = 0; index < 3; index++) {
      const help = await sendCommand(b, s, "help", ADMIN);
      expect(help.body).not.toContain("busy");
      expect(await answer(help.responseUrlId)).toContain("rotate");
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
