/**
 * Refusals an insider provokes with signed requests of their own making: opening someone else's
 * approved rotation form, a vote on an approval id that does not exist, a revoke confirmation
 * whose value is not one of the bot's. Each is refused in words and posted to the audit channel.
 * And an "Older" history button with a `before` that is not an event id: on PostgreSQL it was a
 * database error (22P02) reported as "state store unreachable"; now the button is said to be
 * invalid. The bot as a process on a real PostgreSQL server, over signed HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotProcess, clickButton, requestApproval, startBotProcess } from "../bot/bot-process.js";
import { BOT_TOKEN } from "../bot/harness.js";
import {
  type Emulator,
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  startEmulator,
} from "../emulator/index.js";
import { type FakeSlack, type RecordedCall, startFakeSlack } from "../fakes/slack-api.js";
import { type PostgresServer, startPostgres } from "../state/postgres-server.js";
import { seedGitHubIntegration } from "../support/fixtures.js";

const ADMIN = "U0ADMIN";
const BOB = "U0BOB";
const MALLORY = "U0MALLORY";
const AUDIT = "C0AUDIT";

let server: PostgresServer | undefined;
let emu: Emulator | undefined;
let slack: FakeSlack | undefined;
let bot: BotProcess | undefined;

beforeAll(async () => {
  server = await startPostgres();
  emu = await startEmulator();
  slack = await startFakeSlack();
  seedGitHubIntegration(emu.state);
  emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [GITHUB_OAUTH_SECRET]);
  bot = await startBotProcess({
    DATABASE_URL: await server.createDatabase("refusals"),
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    GITPOD_API_KEY: emu.token,
    GITPOD_BASE_URL: emu.url,
    GITPOD_RUNNER_IDS: RUNNER_EU_ID,
    SLACK_ROTATE_USER_IDS: `${ADMIN},${MALLORY}`,
    SLACK_AUDIT_CHANNEL_ID: AUDIT,
    SLACK_ROTATE_APPROVERS: BOB,
    SLACK_ROTATE_APPROVALS_REQUIRED: "1",
  });
}, 60_000);
afterAll(async () => {
  bot?.child.kill("SIGKILL");
  await bot?.exited();
  await slack?.close();
  await emu?.close();
  await server?.stop();
});

function buttonValue(call: RecordedCall, actionId: string): string {
  const blocks =
    (call.args.blocks as Array<{ type: string; elements?: Array<Record<string, string>> }>) ?? [];
  const button = blocks
    .flatMap((block) => (block.type === "actions" ? (block.elements ?? []) : []))
    .find((element) => element.action_id === actionId);
  return button?.value ?? "";
}

async function answer(responseUrlId: string): Promise<string> {
  const call = await (slack as FakeSlack).waitFor((entry) => entry.responseUrlId === responseUrlId, 15_000);
  return JSON.stringify(call.args);
}

async function auditPost(containing: string): Promise<string> {
  const call = await (slack as FakeSlack).waitFor(
    (entry) =>
      entry.method === "chat.postMessage" &&
      entry.args.channel === AUDIT &&
      JSON.stringify(entry.args).includes(containing),
    15_000,
  );
  return JSON.stringify(call.args);
}

describe("refusals provoked with made-up buttons are audited", () => {
  it("a vote on an approval id that does not exist", async () => {
    const b = bot as BotProcess;
    const s = slack as FakeSlack;
    const vote = await clickButton(b, s, {
      user: BOB,
      channel: AUDIT,
      actionId: "approval_approve",
      value: "no-such-approval-<!channel>",
    });
    expect(await answer(vote.responseUrlId)).toContain("does not exist");
    const post = await auditPost("unknown approval request");
    expect(post).toContain("refused");
    expect(post).toContain(BOB);
    expect(post).not.toContain("<!channel>");
  });

  it("opening someone else's approved form", async () => {
    const b = bot as BotProcess;
    const s = slack as FakeSlack;
    await requestApproval(b, s, "rotate github.com", ADMIN, "quarterly rotation");
    const request = await s.waitFor(
      (call) =>
        call.method === "chat.postMessage" &&
        call.args.channel === AUDIT &&
        JSON.stringify(call.args).includes("Approval needed"),
      15_000,
    );
    const approvalId = buttonValue(request, "approval_approve");
    const vote = await clickButton(b, s, {
      user: BOB,
      channel: AUDIT,
      actionId: "approval_approve",
      value: approvalId,
    });
    expect(await answer(vote.responseUrlId)).toContain("Recorded");
    const modals = s.callsTo("views.open").length;
    const opened = await clickButton(b, s, {
      user: MALLORY,
      actionId: "approval_open_form",
      value: approvalId,
    });
    expect(await answer(opened.responseUrlId)).toContain("Only the person who asked");
    const post = await auditPost(`tried to open the form of ${ADMIN}`);
    expect(post).toContain("refused");
    expect(post).toContain(MALLORY);
    expect(s.callsTo("views.open")).toHaveLength(modals);
  });

  it("a revoke confirmation whose value is not a preview id", async () => {
    const b = bot as BotProcess;
    const s = slack as FakeSlack;
    const pressed = await clickButton(b, s, {
      user: ADMIN,
      actionId: "revoke_confirm",
      value: JSON.stringify({ requester: ADMIN, host: "github.com", selector: "x", ids: ["a"] }),
    });
    expect(await answer(pressed.responseUrlId)).toContain("not one of the bot's revoke confirmations");
    expect(await auditPost("not a preview id")).toContain("refused");
  });

  it("an Older history button with a before that is not an event id is called invalid, not a store outage", async () => {
    const b = bot as BotProcess;
    const s = slack as FakeSlack;
    for (const before of [1.5, -3, 1e300]) {
      const pressed = await clickButton(b, s, {
        user: ADMIN,
        actionId: "history_older",
        value: JSON.stringify({ before }),
      });
      const text = await answer(pressed.responseUrlId);
      expect(text).toContain("This Older button is not valid");
      expect(text).not.toContain("unreachable");
    }
    expect(b.stdout()).not.toContain("22P02");
    expect(b.child.exitCode).toBeNull();
  });
});
