/**
 * Approvals that reach people, driven by signed Slack requests against the fake Slack Web API: the
 * request asks for a reason, every approver gets it by DM with the buttons, each vote is a reply in
 * the request's thread while the request and the DMs are redrawn in place (chat.update), the
 * requester is told the outcome by DM; a Deny asks why; an expired request is closed once, also
 * with a second replica on the same PostgreSQL database. Reasons are people's words: escaped everywhere, and one
 * that looks like a secret is refused.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Bot, createBot } from "../../bot/app.js";
import { createJsonLogger } from "../../bot/logger.js";
import { openStore } from "../../bot/state/open.js";
import { GITHUB_OAUTH_CLIENT_ID, GITHUB_OAUTH_SECRET } from "../emulator/index.js";
import type { RecordedCall } from "../fakes/slack-api.js";
import { type PostgresServer, startPostgres } from "../state/postgres-server.js";
import { seedGitHubIntegration } from "../support/fixtures.js";
import { waitUntil } from "../support/wait.js";
import {
  ADMIN,
  AUDIT_CHANNEL,
  callText,
  type Harness,
  openedViewId,
  startHarness,
  useHarness,
} from "./harness.js";

const CANARY = "canary-approval-dm-secret-5e4d3c2b1a";
const BOB = "U0BOB";
const CAROL = "U0CAROL";
const DAVE = "U0DAVE";
/** Mrkdwn that would ping the channel, bold text and a disguised link if it were not escaped. */
const REASON = "leaked in a demo <!channel> *now* & <https://evil.example|the ticket>";
const ESCAPED_REASON =
  "leaked in a demo &lt;!channel&gt; *now* &amp; &lt;https://evil.example|the ticket&gt;";

/** The fake's DM channel with a user (conversations.open). */
const dmOf = (user: string) => `D${user}`;

function buttonsOf(call: RecordedCall): string[] {
  const blocks =
    (call.args.blocks as Array<{ type: string; elements?: Array<{ action_id?: string }> }> | undefined) ?? [];
  return blocks
    .filter((block) => block.type === "actions")
    .flatMap((block) => block.elements ?? [])
    .map((element) => element.action_id ?? "");
}

function posts(h: Harness, channel: string, filter: (call: RecordedCall) => boolean = () => true) {
  return h.slack.calls.filter(
    (call) => call.method === "chat.postMessage" && call.args.channel === channel && filter(call),
  );
}

/** The last chat.update of the message at (channel, ts). */
function lastUpdate(h: Harness, channel: string, ts: string): RecordedCall | undefined {
  return h.slack
    .callsTo("chat.update")
    .filter((call) => call.args.channel === channel && call.args.ts === ts)
    .at(-1);
}

function waitForUpdate(h: Harness, channel: string, ts: string, includes: string): Promise<RecordedCall> {
  return h.slack.waitFor(
    (call) =>
      call.method === "chat.update" &&
      call.args.channel === channel &&
      call.args.ts === ts &&
      callText(call).includes(includes),
  );
}

function seed(h: Harness) {
  const integration = seedGitHubIntegration(h.emu.state);
  h.emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [GITHUB_OAUTH_SECRET, CANARY]);
  return integration;
}

/** `rotate github.com` under approval: the reason modal, submitted; resolves with the request's post. */
async function ask(h: Harness, reason: string) {
  const { viewId, filled } = await h.openModal("rotate github.com");
  expect((filled.args.view as { callback_id?: string }).callback_id).toBe("approval_request_submit");
  expect((await h.submitText(viewId, { reason })).status).toBe(200);
  const request = await h.slack.waitFor(
    (call) =>
      call.method === "chat.postMessage" &&
      call.args.channel === AUDIT_CHANNEL &&
      callText(call).includes("Approval needed"),
  );
  const ts = String((request.result as { ts?: string }).ts);
  const approvalId = (await h.store.history({ host: "github.com", limit: 20 })).find(
    (event) => event.outcome === "requested",
  )?.approvalId;
  return { viewId, request, ts, approvalId: approvalId ?? "" };
}

describe("approvals that reach people", () => {
  describe("two approvals needed", () => {
    const h = useHarness({
      env: {
        SLACK_ROTATE_APPROVERS: `${BOB},${DAVE},S0APPROVERS`,
        SLACK_ROTATE_APPROVALS_REQUIRED: "2",
      },
      // The requester is in the approver group too: they get no DM and cannot vote.
      usergroups: { S0APPROVERS: [CAROL, ADMIN] },
    });

    it("a reason, a DM per approver, two votes in the thread, everything redrawn in place, the requester told", async () => {
      const integration = seed(h);
      // A reason that carries a secret is refused in the form; nothing is posted.
      const first = await h.openModal("rotate github.com");
      const refused = await h.submitText(first.viewId, { reason: `it is ${CANARY}` });
      expect(refused.json).toMatchObject({ response_action: "errors", errors: { reason: /looks like/ } });
      expect(posts(h, AUDIT_CHANNEL)).toHaveLength(0);

      const { viewId, request, ts, approvalId } = await ask(h, REASON);
      await h.slack.waitFor(
        (call) =>
          call.method === "views.update" &&
          call.args.view_id === viewId &&
          callText(call).includes("with each approver"),
      );
      // The request shows the reason escaped, in the blocks and in the notification text.
      expect(callText(request)).toContain(ESCAPED_REASON);
      expect(String(request.args.text)).toContain(ESCAPED_REASON);
      expect(h.slack.everything()).not.toContain("<!channel>");
      expect(buttonsOf(request)).toEqual(["approval_approve", "approval_deny"]);

      // Every approver but the requester gets the request with the buttons by DM.
      await waitUntil(async () => (await h.store.approvalMessages(approvalId)).length === 4, {
        what: "the request and three DMs stored",
      });
      const opened = h.slack.callsTo("conversations.open").map((call) => call.args.users);
      expect(opened.sort()).toEqual([BOB, CAROL, DAVE]);
      for (const approver of [BOB, CAROL, DAVE]) {
        const [dm] = posts(h, dmOf(approver));
        expect(dm && callText(dm)).toContain(ESCAPED_REASON);
        expect(dm && callText(dm)).toContain("You are asked as one of the approvers");
        expect(dm && buttonsOf(dm)).toEqual(["approval_approve", "approval_deny"]);
      }
      const stored = await h.store.approvalMessages(approvalId);
      expect(stored).toContainEqual({
        approvalId,
        kind: "request",
        userId: "",
        channelId: AUDIT_CHANNEL,
        ts,
      });
      expect(await h.store.getApproval(approvalId)).toMatchObject({
        reason: REASON,
        runnerId: integration.runnerId,
      });

      // The requester cannot vote from the group.
      const own = await h.click({
        user: ADMIN,
        channel: AUDIT_CHANNEL,
        actionId: "approval_approve",
        value: approvalId,
      });
      expect(callText(await h.waitForResponse(own.responseUrlId))).toContain(
        "cannot approve your own request",
      );

      // Bob approves from his DM: a reply in the request's thread, the request redrawn (still open).
      await h.click({ user: BOB, channel: dmOf(BOB), actionId: "approval_approve", value: approvalId });
      const bobReply = await h.slack.waitFor(
        (call) =>
          call.args.thread_ts === ts && String(call.args.text).includes(`approval by ${BOB}: approved`),
      );
      expect(bobReply.args.channel).toBe(AUDIT_CHANNEL);
      expect(callText(bobReply)).toContain("1 of 2 approvals so far");
      const halfway = await waitForUpdate(h, AUDIT_CHANNEL, ts, `Approved so far by <@${BOB}> (1 of 2)`);
      expect(buttonsOf(halfway)).toEqual(["approval_approve", "approval_deny"]);

      // Carol approves in the audit channel: approved; the request and every DM lose their buttons.
      await h.click({ user: CAROL, channel: AUDIT_CHANNEL, actionId: "approval_approve", value: approvalId });
      await h.slack.waitFor(
        (call) =>
          call.args.thread_ts === ts && String(call.args.text).includes(`approval by ${CAROL}: approved`),
      );
      const decided = await waitForUpdate(h, AUDIT_CHANNEL, ts, "*Approved* by");
      expect(callText(decided)).toContain(`*Approved* by <@${BOB}>, <@${CAROL}> (2 of 2)`);
      expect(buttonsOf(decided)).toEqual([]);
      expect(callText(decided)).toContain(ESCAPED_REASON);
      for (const approver of [BOB, CAROL, DAVE]) {
        const dmTs = String(posts(h, dmOf(approver))[0]?.result?.ts);
        const closed = await waitForUpdate(h, dmOf(approver), dmTs, "*Approved* by");
        expect(buttonsOf(closed)).toEqual([]);
      }
      // No vote was a new top-level post in the audit channel: only the request is.
      expect(posts(h, AUDIT_CHANNEL, (call) => !call.args.thread_ts)).toHaveLength(1);

      // The requester's DM says who approved and carries the button to the form.
      const told = await h.slack.waitFor(
        (call) => call.method === "chat.postMessage" && call.args.channel === dmOf(ADMIN),
      );
      expect(callText(told)).toContain(`was approved by <@${BOB}>, <@${CAROL}>`);
      expect(buttonsOf(told)).toEqual(["approval_open_form"]);

      // From the DM's button to the rotation, which posts its result where the request was asked.
      const open = await h.click({
        user: ADMIN,
        channel: dmOf(ADMIN),
        actionId: "approval_open_form",
        value: approvalId,
      });
      const form = await h.slack.waitFor(
        (call) => call.method === "views.open" && call.args.trigger_id === open.triggerId,
      );
      await h.submitRotation(openedViewId(form) ?? "", CANARY);
      await h.slack.waitFor(
        (call) =>
          call.args.channel === AUDIT_CHANNEL &&
          String(call.args.text).includes(`rotate by ${ADMIN}: rotated`),
      );
      expect(h.emu.state.decryptClientSecret(integration.id)).toBe(CANARY);

      // All of it in the history; no secret anywhere.
      const history = await h.store.history({ host: "github.com", limit: 20 });
      expect(history.map((event) => event.outcome)).toEqual(
        expect.arrayContaining(["requested", "notified", "approved", "rotated"]),
      );
      expect(history.find((event) => event.outcome === "requested")?.reason).toBe(`Reason: ${REASON}`);
      expect(history.filter((event) => event.outcome === "notified").map((event) => event.reason)).toEqual(
        expect.arrayContaining([
          `Sent by direct message to ${BOB}, ${CAROL}, ${DAVE}.`,
          "The requester was told by direct message (approved).",
        ]),
      );
      expect(h.slack.everything()).not.toContain(CANARY);
      expect(h.logs.join("\n")).not.toContain(CANARY);
    });
  });

  describe("one approval needed", () => {
    const h = useHarness({
      env: { SLACK_ROTATE_APPROVERS: `${BOB},${CAROL}`, SLACK_ROTATE_APPROVALS_REQUIRED: "1" },
    });

    it("a Deny asks why; the thread, the request, the DMs and the requester's DM carry the reason", async () => {
      const integration = seed(h);
      const { ts, approvalId } = await ask(h, "rotating before the audit");
      await waitUntil(async () => (await h.store.approvalMessages(approvalId)).length === 3, {
        what: "the request and two DMs stored",
      });
      // The requester's own Deny opens no form.
      const own = await h.click({
        user: ADMIN,
        channel: AUDIT_CHANNEL,
        actionId: "approval_deny",
        value: approvalId,
      });
      expect(callText(await h.waitForResponse(own.responseUrlId))).toContain(
        "cannot approve your own request",
      );
      expect(h.slack.callsTo("views.open").filter((call) => call.args.trigger_id === own.triggerId)).toEqual(
        [],
      );

      // Bob's Deny from his DM opens the reason form; a secret-looking reason is refused there.
      const deny = await h.click({
        user: BOB,
        channel: dmOf(BOB),
        actionId: "approval_deny",
        value: approvalId,
      });
      const form = await h.slack.waitFor(
        (call) => call.method === "views.open" && call.args.trigger_id === deny.triggerId,
      );
      expect((form.args.view as { callback_id?: string }).callback_id).toBe("approval_deny_submit");
      const formId = openedViewId(form) ?? "";
      const bad = await h.submitText(formId, { reason: `see ghp_${"a1".repeat(18)}` }, { user: BOB });
      expect(bad.json).toMatchObject({ response_action: "errors" });
      expect((await h.store.getApproval(approvalId))?.status).toBe("pending");

      const why = "not during the freeze <!here>";
      await h.submitText(formId, { reason: why }, { user: BOB });
      await h.slack.waitFor(
        (call) =>
          call.method === "views.update" &&
          call.args.view_id === formId &&
          callText(call).includes("Recorded"),
      );
      const reply = await h.slack.waitFor(
        (call) => call.args.thread_ts === ts && String(call.args.text).includes(`approval by ${BOB}: denied`),
      );
      expect(callText(reply)).toContain("not during the freeze &lt;!here&gt;");
      const denied = await waitForUpdate(h, AUDIT_CHANNEL, ts, "*Denied* by");
      expect(callText(denied)).toContain(`*Denied* by <@${BOB}>`);
      expect(callText(denied)).toContain(">not during the freeze &lt;!here&gt;");
      expect(buttonsOf(denied)).toEqual([]);
      for (const approver of [BOB, CAROL]) {
        const dmTs = String(posts(h, dmOf(approver))[0]?.result?.ts);
        expect(buttonsOf(await waitForUpdate(h, dmOf(approver), dmTs, "*Denied* by"))).toEqual([]);
      }
      const told = await h.slack.waitFor(
        (call) => call.method === "chat.postMessage" && call.args.channel === dmOf(ADMIN),
      );
      expect(callText(told)).toContain(`was denied by <@${BOB}>`);
      expect(callText(told)).toContain("not during the freeze &lt;!here&gt;");
      expect(String(told.args.text)).toContain("not during the freeze &lt;!here&gt;");
      expect(buttonsOf(told)).toEqual([]);
      expect(await h.store.getApproval(approvalId)).toMatchObject({
        status: "denied",
        votes: [{ approver: BOB, decision: "deny", reason: why }],
      });
      // Carol's buttons in her (now closed) DM would only be told it is decided.
      const late = await h.click({
        user: CAROL,
        channel: dmOf(CAROL),
        actionId: "approval_approve",
        value: approvalId,
      });
      expect(callText(await h.waitForResponse(late.responseUrlId))).toContain("already decided");
      expect(h.slack.everything()).not.toContain("<!here>");
      expect(h.emu.requests.count("UpdateSCMIntegration")).toBe(0);
      expect(h.emu.state.decryptClientSecret(integration.id)).toBe(GITHUB_OAUTH_SECRET);
    });
  });

  describe("expiry, with a second replica on the same PostgreSQL database", () => {
    let pg: PostgresServer | undefined;
    let h: Harness | undefined;
    let replica: Bot | undefined;
    beforeAll(async () => {
      pg = await startPostgres();
    }, 60_000);
    afterEach(async () => {
      await replica?.stop();
      await h?.close();
      replica = undefined;
      h = undefined;
    });
    afterAll(async () => {
      await pg?.stop();
    });

    it("closes the request and the DMs and tells the requester exactly once", async () => {
      h = await startHarness({
        env: {
          SLACK_ROTATE_APPROVERS: `${BOB},${CAROL}`,
          SLACK_ROTATE_APPROVALS_REQUIRED: "1",
          SLACK_ROTATE_APPROVAL_TTL_MS: "1000",
        },
        databaseUrl: await (pg as PostgresServer).createDatabase("expiry"),
      });
      seed(h);
      // A second bot on the same database and Slack: both sweep for expired requests every second.
      const config = h.bot.context.config;
      const { store } = await openStore(config.state.database);
      replica = createBot(config, {
        gitpod: h.gitpod,
        gitpodCalls: h.gitpodCalls,
        store,
        logger: createJsonLogger({ write: () => {}, level: "debug" }),
        slackClientOptions: { retryConfig: { retries: 0 } },
      });
      await replica.start({ host: "127.0.0.1", port: 0 });

      const { ts, approvalId } = await ask(h, "rotating before the audit");
      const told = await h.slack.waitFor(
        (call) => call.method === "chat.postMessage" && call.args.channel === dmOf(ADMIN),
        8000,
      );
      expect(callText(told)).toContain(
        "Your request to rotate the OAuth secret of *github.com (github)* expired",
      );
      expect(callText(told)).toContain("Nothing was changed");
      const expired = await waitForUpdate(h, AUDIT_CHANNEL, ts, "*Expired*");
      expect(buttonsOf(expired)).toEqual([]);
      for (const approver of [BOB, CAROL]) {
        const dmTs = String(posts(h, dmOf(approver))[0]?.result?.ts);
        expect(buttonsOf(await waitForUpdate(h, dmOf(approver), dmTs, "*Expired*"))).toEqual([]);
      }
      // Part of the scenario: two more sweeps of both replicas find nothing more to do.
      await new Promise((resolve) => setTimeout(resolve, 2200));
      expect(posts(h, dmOf(ADMIN))).toHaveLength(1);
      const replies = posts(h, AUDIT_CHANNEL, (call) => call.args.thread_ts === ts);
      expect(replies.map((call) => call.args.text)).toEqual([
        "Audit: approval by schedule: expired (github.com (github))",
      ]);
      expect(h.slack.callsTo("chat.update").filter((call) => call.args.ts === ts)).toHaveLength(1);
      expect(await h.store.getApproval(approvalId)).toMatchObject({ status: "expired" });
      const history = await h.store.history({ host: "github.com", limit: 20 });
      expect(history.filter((event) => event.outcome === "expired")).toHaveLength(1);
      expect(lastUpdate(h, AUDIT_CHANNEL, ts)).toBe(expired);
    });
  });
});
