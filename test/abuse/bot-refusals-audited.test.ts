/**
 * Refusals an insider provokes with signed requests of their own making: opening someone else's
 * approved rotation form, a vote on an approval id that does not exist, a revoke confirmation
 * whose value is not one of the bot's. Each is refused in words and posted to the audit channel.
 * And an "Older" history button with a `before` that is not an event id: on PostgreSQL it was a
 * database error (22P02) reported as "state store unreachable"; now the button is said to be
 * invalid. The bot as a process on a real PostgreSQL server, over signed HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  answerTo,
  askForApproval,
  auditPost,
  type BotWithFakes,
  clickButton,
  startBotWithFakes,
} from "../bot/bot-process.js";
import { ADMIN, AUDIT_CHANNEL } from "../bot/harness.js";
import { type PostgresServer, startPostgres } from "../state/postgres-server.js";

const BOB = "U0BOB";
const MALLORY = "U0MALLORY";

let server: PostgresServer | undefined;
let running: BotWithFakes | undefined;

beforeAll(async () => {
  server = await startPostgres();
  running = await startBotWithFakes({
    databaseUrl: await server.createDatabase("refusals"),
    rotators: [ADMIN, MALLORY],
    approvers: [BOB],
    rotatableGitHub: true,
  });
}, 60_000);
afterAll(async () => {
  await running?.close();
  await server?.stop();
});

describe("refusals provoked with made-up buttons are audited", () => {
  it("a vote on an approval id that does not exist", async () => {
    const { bot, slack } = running as BotWithFakes;
    const vote = await clickButton(bot, slack, {
      user: BOB,
      channel: AUDIT_CHANNEL,
      actionId: "approval_approve",
      value: "no-such-approval-<!channel>",
    });
    expect(await answerTo(slack, vote.responseUrlId)).toContain("does not exist");
    const post = await auditPost(slack, "unknown approval request");
    expect(post).toContain("refused");
    expect(post).toContain(BOB);
    expect(post).not.toContain("<!channel>");
  });

  it("opening someone else's approved form", async () => {
    const { bot, slack } = running as BotWithFakes;
    const approvalId = await askForApproval(bot, slack, "rotate github.com", ADMIN, "quarterly rotation");
    const vote = await clickButton(bot, slack, {
      user: BOB,
      channel: AUDIT_CHANNEL,
      actionId: "approval_approve",
      value: approvalId,
    });
    expect(await answerTo(slack, vote.responseUrlId)).toContain("Recorded");
    const modals = slack.callsTo("views.open").length;
    const opened = await clickButton(bot, slack, {
      user: MALLORY,
      actionId: "approval_open_form",
      value: approvalId,
    });
    expect(await answerTo(slack, opened.responseUrlId)).toContain("Only the person who asked");
    const post = await auditPost(slack, `tried to open the form of ${ADMIN}`);
    expect(post).toContain("refused");
    expect(post).toContain(MALLORY);
    expect(slack.callsTo("views.open")).toHaveLength(modals);
  });

  it("a revoke confirmation whose value is not a preview id", async () => {
    const { bot, slack } = running as BotWithFakes;
    const pressed = await clickButton(bot, slack, {
      user: ADMIN,
      actionId: "revoke_confirm",
      value: JSON.stringify({ requester: ADMIN, host: "github.com", selector: "x", ids: ["a"] }),
    });
    expect(await answerTo(slack, pressed.responseUrlId)).toContain(
      "not one of the bot's revoke confirmations",
    );
    expect(await auditPost(slack, "not a preview id")).toContain("refused");
  });

  it("an Older history button with a before that is not an event id is called invalid, not a store outage", async () => {
    const { bot, slack } = running as BotWithFakes;
    for (const before of [1.5, -3, 1e300]) {
      const pressed = await clickButton(bot, slack, {
        user: ADMIN,
        actionId: "history_older",
        value: JSON.stringify({ before }),
      });
      const text = await answerTo(slack, pressed.responseUrlId);
      expect(text).toContain("This Older button is not valid");
      expect(text).not.toContain("unreachable");
    }
    expect(bot.stdout()).not.toContain("22P02");
    expect(bot.child.exitCode).toBeNull();
  });
});
