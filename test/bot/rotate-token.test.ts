/**
 * `rotate-token <host> <service-account> [runner]`: a service account's host authentication token
 * rotated from Slack with the same lease, journal and four-eyes approval as OAuth secrets, driven
 * by signed Slack requests against the bot and the emulator. Every test checks that the new
 * token's value reaches Gitpod only: no Slack call, response_url post, log line or history row.
 */
import { afterEach, describe, expect, it } from "vitest";
import { RUNNER_EU_ID, RUNNER_US_ID } from "../emulator/index.js";
import type { RecordedCall } from "../fakes/slack-api.js";
import {
  ADMIN,
  AUDIT_CHANNEL,
  buttonValue,
  CHANNEL,
  callText,
  type Harness,
  type HarnessOptions,
  type HttpResult,
  openedViewId,
  startHarness,
  waitForAudit,
} from "./harness.js";
import { viewSubmission } from "./slack-payloads.js";

const SERVICE_ACCOUNT = "7d1e6f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6";
const USER = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
const OLD_TOKEN = "canary-old-sa-token-1a2b3c";
const NEW_TOKEN = "canary-new-sa-token-4d5e6f";
const OTHER_TOKEN = "canary-other-sa-token-7a8b9c";
const USER_TOKEN = "canary-user-token-0d0e0f";
const CANARIES = [OLD_TOKEN, NEW_TOKEN, OTHER_TOKEN, USER_TOKEN];
const BOB = "U0BOB";
const OTHER_ADMIN = "U0OTHERADMIN";

let h: Harness | undefined;
let triggers = 0;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setUp(options: HarnessOptions = {}) {
  h = await startHarness(options);
  const token = h.emu.state.seedHostToken({
    runnerId: RUNNER_EU_ID,
    host: "github.com",
    token: OLD_TOKEN,
    source: "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT",
    subject: { id: SERVICE_ACCOUNT, principal: "PRINCIPAL_SERVICE_ACCOUNT" },
    expiresAt: "2026-12-01T00:00:00Z",
    scopes: ["repo"],
  });
  h.emu.state.seedHostToken({
    runnerId: RUNNER_EU_ID,
    host: "github.com",
    token: USER_TOKEN,
    subject: { id: USER, principal: "PRINCIPAL_USER" },
    expiresAt: "2026-12-01T00:00:00Z",
  });
  return { h, token };
}

/** Run the command and wait until the modal shows something other than "loading". */
function openRotateToken(harness: Harness, text: string, user = ADMIN) {
  return harness.openModal(text, user);
}

/** Submit the token form last shown in this modal, as Slack sends it. */
function submitToken(
  harness: Harness,
  viewId: string,
  token: string,
  options: { user?: string; expiresOn?: string | null; view?: Record<string, unknown> } = {},
): Promise<HttpResult> {
  const view = options.view ?? harness.lastView(viewId);
  return harness.interact(
    viewSubmission({
      view,
      viewId,
      user: options.user ?? ADMIN,
      triggerId: `trigger-submit-${++triggers}`,
      values: {
        host_token: { value: { type: "plain_text_input", value: token } },
        token_expires: { value: { type: "datepicker", selected_date: options.expiresOn ?? null } },
      },
    }),
  );
}

function click(harness: Harness, user: string, channel: string, actionId: string, value: string) {
  return harness.click({ user, channel, actionId, value });
}

function audits(harness: Harness, fragment: string): RecordedCall[] {
  return harness.slack.calls.filter(
    (call) =>
      call.method === "chat.postMessage" &&
      call.args.channel === AUDIT_CHANNEL &&
      String(call.args.text).includes(fragment),
  );
}

/** The token values reach Gitpod only: not Slack, not a response_url, not a log line, not the store. */
async function expectNoCanary(harness: Harness, extra: readonly string[] = []) {
  const history = JSON.stringify(await harness.store.history({ limit: 200 }));
  const everything = [harness.slack.everything(), harness.logs.join("\n"), history, ...extra].join("\n");
  for (const canary of CANARIES) expect(everything).not.toContain(canary);
}

describe("rotate-token", () => {
  it("rotates a service account's token end to end: form, update, read-back, reports, history", async () => {
    const { h, token } = await setUp();
    const { ack, open, viewId, filled } = await openRotateToken(
      h,
      `rotate-token github.com ${SERVICE_ACCOUNT}`,
    );
    expect(ack.ackMs).toBeLessThan(1000);
    expect(callText(open)).toContain("Rotate host token");
    expect(callText(open)).toContain("Looking up the token");
    const form = filled.args.view as { callback_id?: string; blocks: Array<{ block_id?: string }> };
    expect(form.callback_id).toBe("rotate_token_submit");
    expect(form.blocks.map((block) => block.block_id)).toEqual(
      expect.arrayContaining(["host_token", "token_expires"]),
    );
    expect(callText(filled)).toContain(SERVICE_ACCOUNT);
    expect(callText(filled)).toContain(token.id);
    expect(callText(filled)).toContain("cannot test a host token");

    // A date in the past is a field error; nothing is sent to Gitpod.
    const early = await submitToken(h, viewId, NEW_TOKEN, { expiresOn: "2020-01-01" });
    expect(early.json).toMatchObject({
      response_action: "errors",
      errors: { token_expires: expect.any(String) },
    });
    expect(h.emu.requests.count("UpdateHostAuthenticationToken")).toBe(0);

    h.emu.requests.clear();
    const submitted = await submitToken(h, viewId, NEW_TOKEN, { expiresOn: "2027-03-01" });
    expect(submitted.status).toBe(200);
    expect(submitted.json).toMatchObject({ response_action: "update" });
    expect(submitted.ackMs).toBeLessThan(1000);

    const done = await waitForAudit(h, `rotate-token by ${ADMIN}: rotated`);
    expect(done.args.text).toBe(
      `Audit: rotate-token by ${ADMIN}: rotated (github.com token of service account ${SERVICE_ACCOUNT})`,
    );
    expect(callText(done)).toContain("• test: skipped");
    expect(callText(done)).toContain("• verify: ok");
    expect(callText(done)).toContain(token.id);
    // Written ahead: the "started" post came first, and the journal entry holds the outcome.
    const started = audits(h, `rotate-token by ${ADMIN}: started`);
    expect(started).toHaveLength(1);
    expect(h.slack.calls.indexOf(started[0] as RecordedCall)).toBeLessThan(h.slack.calls.indexOf(done));

    // In Gitpod: the new token and expiry are stored; the old value is stored nowhere any more.
    const stored = h.emu.state.hostTokens.get(token.id);
    expect(stored?.token).toBe(NEW_TOKEN);
    expect(stored?.expiresAt).toBe("2027-03-01T00:00:00Z");
    expect([...h.emu.state.hostTokens.values()].map((entry) => entry.token)).not.toContain(OLD_TOKEN);
    // The action's rotate protocol: read, update, read back; nothing else written.
    expect(h.emu.requests.entries.map((entry) => entry.rpc)).toEqual([
      "GetHostAuthenticationToken",
      "GetHostAuthenticationToken",
      "UpdateHostAuthenticationToken",
      "GetHostAuthenticationToken",
    ]);

    const report = await h.waitForResponse(ack.responseUrlId, (text) => text.includes("Rotated"));
    expect(callText(report)).toContain(`github.com token of service account ${SERVICE_ACCOUNT}`);
    expect(callText(report)).toContain(
      ":heavy_minus_sign: 2. Test the new token: skipped: the API has no call",
    );
    expect(callText(report)).toContain(":white_check_mark: 4. Read back the stored token");
    const result = await h.slack.waitFor(
      (call) =>
        call.method === "views.update" && call.args.view_id === viewId && callText(call).includes("Rotated"),
    );
    expect(callText(result)).toContain("Rotate host token");

    const [event] = await h.store.history({ host: "github.com", limit: 1 });
    expect(event).toMatchObject({
      action: "rotate-token",
      outcome: "rotated",
      actor: ADMIN,
      target: `service account ${SERVICE_ACCOUNT}`,
    });
    const journalId = event?.journalId ?? "";
    expect(await h.store.getRotation(journalId)).toMatchObject({
      credential: "host-token",
      tokenId: token.id,
      outcome: "rotated",
      phase: "updated",
    });
    const asked = await h.command("history github.com");
    const page = await h.waitForResponse(asked.responseUrlId, (text) => text.includes("History"));
    expect(callText(page)).toContain(
      `*rotate-token* by <@${ADMIN}>: *rotated* · github.com · service account ${SERVICE_ACCOUNT}`,
    );
    // The lease is released: a second rotation may start at once.
    expect(await h.store.getLease(`rotation:host-token:${token.id}`)).toBeUndefined();
    await expectNoCanary(h, [early.text, submitted.text]);
  });

  it("two submissions for the same token at once: one rotates, the other is told who holds it", async () => {
    const { h, token } = await setUp({
      emulator: { latencyMs: 250 },
      env: { SLACK_ROTATE_USER_IDS: `${ADMIN},${OTHER_ADMIN}`, BOT_LEASE_WAIT_MS: "200" },
    });
    const first = await openRotateToken(h, `rotate-token github.com ${SERVICE_ACCOUNT}`, ADMIN);
    const second = await openRotateToken(h, `rotate-token github.com ${SERVICE_ACCOUNT}`, OTHER_ADMIN);
    h.emu.requests.clear();
    await Promise.all([
      submitToken(h, first.viewId, NEW_TOKEN, { user: ADMIN }),
      submitToken(h, second.viewId, OTHER_TOKEN, { user: OTHER_ADMIN }),
    ]);
    const refused = await waitForAudit(h, ": refused");
    const loser = String(refused.args.text).includes(ADMIN) ? ADMIN : OTHER_ADMIN;
    const winner = loser === ADMIN ? OTHER_ADMIN : ADMIN;
    const rotated = await waitForAudit(h, `rotate-token by ${winner}: rotated`);
    expect(rotated).toBeDefined();

    const loserAck = loser === ADMIN ? first.ack : second.ack;
    const told = await h.waitForResponse(loserAck.responseUrlId, (text) => text.includes("is rotating"));
    const since = /since (\d\d:\d\d) UTC/.exec(String(told.args.text))?.[1];
    expect(told.args.text).toBe(
      `${winner} is rotating the github.com token of service account ${SERVICE_ACCOUNT} since ${since} UTC. Nothing was changed; try again once it has finished.`,
    );
    expect(callText(refused)).toContain(`${winner} is rotating the github.com token`);
    // Exactly one update reached Gitpod, and the stored token is the winner's.
    expect(h.emu.requests.count("UpdateHostAuthenticationToken")).toBe(1);
    expect(h.emu.state.hostTokens.get(token.id)?.token).toBe(winner === ADMIN ? NEW_TOKEN : OTHER_TOKEN);
    await expectNoCanary(h);
  });

  it("with four-eyes on: pending approval, a second admin approves, then the requester rotates once", async () => {
    const { h, token } = await setUp({
      env: { SLACK_ROTATE_APPROVERS: BOB, SLACK_ROTATE_APPROVALS_REQUIRED: "1" },
    });
    const { filled, viewId: reasonViewId } = await openRotateToken(
      h,
      `rotate-token github.com ${SERVICE_ACCOUNT}`,
    );
    // Under approval the modal asks why first; the request is posted on its submission.
    expect((filled.args.view as { callback_id?: string }).callback_id).toBe("approval_request_submit");
    await h.submitText(reasonViewId, { reason: "the service account's token is due" });
    const asked = await h.slack.waitFor(
      (call) =>
        call.method === "views.update" &&
        call.args.view_id === reasonViewId &&
        callText(call).includes("needs approval by someone else"),
    );
    expect(callText(asked)).toContain("enter the new token");
    const request = await h.slack.waitFor(
      (call) => call.args.channel === AUDIT_CHANNEL && callText(call).includes("Approval needed"),
    );
    expect(callText(request)).toContain(
      `<@${ADMIN}> wants to rotate *the github.com token of service account ${SERVICE_ACCOUNT}*`,
    );
    const approvalId = buttonValue(request, "approval_approve");
    expect((await h.store.getApproval(approvalId))?.status).toBe("pending");
    expect(await h.store.getApproval(approvalId)).toMatchObject({
      credential: "host-token",
      tokenId: token.id,
    });

    // The requester cannot approve their own request; Bob can.
    const own = await click(h, ADMIN, AUDIT_CHANNEL, "approval_approve", approvalId);
    expect(callText(await h.waitForResponse(own.responseUrlId))).toContain("cannot approve your own request");
    await click(h, BOB, AUDIT_CHANNEL, "approval_approve", approvalId);
    await waitForAudit(h, `approval by ${BOB}: approved`);
    const notice = await h.slack.waitFor(
      (call) =>
        call.method === "chat.postEphemeral" &&
        call.args.user === ADMIN &&
        callText(call).includes("was approved"),
    );
    expect(notice.args.channel).toBe(CHANNEL);
    expect(callText(notice)).toContain("Enter the new token");
    expect(h.emu.requests.count("UpdateHostAuthenticationToken")).toBe(0);

    const opened = await click(h, ADMIN, CHANNEL, "approval_open_form", approvalId);
    const form = await h.slack.waitFor(
      (call) => call.method === "views.open" && call.args.trigger_id === opened.triggerId,
    );
    expect((form.args.view as { callback_id?: string }).callback_id).toBe("rotate_token_submit");
    const viewId = openedViewId(form) ?? "";
    await submitToken(h, viewId, NEW_TOKEN);
    const done = await waitForAudit(h, `rotate-token by ${ADMIN}: rotated`);
    expect(done).toBeDefined();
    expect(h.emu.state.hostTokens.get(token.id)?.token).toBe(NEW_TOKEN);
    expect((await h.store.getApproval(approvalId))?.status).toBe("used");
    const [event] = await h.store.history({ host: "github.com", limit: 1 });
    expect(event).toMatchObject({ action: "rotate-token", outcome: "rotated", approvalId });

    // The approval is used up: the same form submitted again is refused and audited.
    const again = await submitToken(h, viewId, OTHER_TOKEN, {
      view: form.args.view as Record<string, unknown>,
    });
    expect(again.status).toBe(200);
    const replay = await waitForAudit(h, `rotate-token by ${ADMIN}: refused`);
    expect(callText(replay)).toContain("already used");
    expect(h.emu.requests.count("UpdateHostAuthenticationToken")).toBe(1);
    expect(h.emu.state.hostTokens.get(token.id)?.token).toBe(NEW_TOKEN);
    await expectNoCanary(h);
  });

  it("under an approval, a token deleted before the form is submitted is refused and audited with the approval", async () => {
    const { h, token } = await setUp({
      env: { SLACK_ROTATE_APPROVERS: BOB, SLACK_ROTATE_APPROVALS_REQUIRED: "1" },
    });
    const { viewId: reasonViewId } = await openRotateToken(h, `rotate-token github.com ${SERVICE_ACCOUNT}`);
    await h.submitText(reasonViewId, { reason: "the service account's token is due" });
    const request = await h.slack.waitFor(
      (call) => call.args.channel === AUDIT_CHANNEL && callText(call).includes("Approval needed"),
    );
    const approvalId = buttonValue(request, "approval_approve");
    await click(h, BOB, AUDIT_CHANNEL, "approval_approve", approvalId);
    await waitForAudit(h, `approval by ${BOB}: approved`);
    const opened = await click(h, ADMIN, CHANNEL, "approval_open_form", approvalId);
    const form = await h.slack.waitFor(
      (call) => call.method === "views.open" && call.args.trigger_id === opened.triggerId,
    );
    // Gone between the approval and the submission: refused after admission, under the approval.
    expect(h.emu.state.deleteHostToken(token.id)).toBe(true);
    await submitToken(h, openedViewId(form) ?? "", NEW_TOKEN);
    const refused = await waitForAudit(h, `rotate-token by ${ADMIN}: failed`);
    expect(callText(refused)).toContain("no longer exists");
    const events = await h.store.history({ limit: 10 });
    expect(
      events.find((event) => event.action === "rotate-token" && event.outcome === "failed"),
    ).toMatchObject({
      approvalId,
      reason: "the host token no longer exists in Gitpod",
    });
    expect(h.emu.requests.count("UpdateHostAuthenticationToken")).toBe(0);
    await expectNoCanary(h);
  });

  it("refuses and audits an unauthorized user, at the command and at a submission", async () => {
    const { h, token } = await setUp();
    const { ack, filled } = await openRotateToken(
      h,
      `rotate-token github.com ${SERVICE_ACCOUNT}`,
      "U0STRANGER",
    );
    expect(callText(filled)).toContain("not allowed to rotate credentials");
    const reply = await h.waitForResponse(ack.responseUrlId);
    expect(callText(reply)).toContain("not allowed to rotate credentials");
    const audit = await waitForAudit(h, "rotate-token by U0STRANGER: unauthorized");
    expect(callText(audit)).toContain(`github.com token of service account ${SERVICE_ACCOUNT}`);
    expect(h.emu.requests.count("ListHostAuthenticationTokens")).toBe(0);

    // A form an admin opened, submitted by someone else, changes nothing.
    const { viewId } = await openRotateToken(h, `rotate-token github.com ${SERVICE_ACCOUNT}`);
    await submitToken(h, viewId, NEW_TOKEN, { user: "U0STRANGER" });
    await h.slack.waitFor(() => audits(h, "rotate-token by U0STRANGER: unauthorized").length === 2);
    expect(h.emu.requests.count("UpdateHostAuthenticationToken")).toBe(0);
    expect(h.emu.state.hostTokens.get(token.id)?.token).toBe(OLD_TOKEN);
    const [event] = await h.store.history({ limit: 1 });
    expect(event).toMatchObject({ action: "rotate-token", outcome: "unauthorized", actor: "U0STRANGER" });
    await expectNoCanary(h);
  });

  it("refuses a user's token: users' tokens are never managed", async () => {
    const { h } = await setUp();
    const { filled } = await openRotateToken(h, `rotate-token github.com ${USER}`);
    expect(callText(filled)).toContain(
      "users&#39; tokens are never rotated by the bot".replace("&#39;", "'"),
    );
    expect((filled.args.view as { callback_id?: string }).callback_id).toBeUndefined();
    const audit = await waitForAudit(h, `rotate-token by ${ADMIN}: refused`);
    expect(callText(audit)).toContain("never rotated by the bot");
    expect(h.emu.requests.count("UpdateHostAuthenticationToken")).toBe(0);
    expect([...h.emu.state.hostTokens.values()].map((entry) => entry.token).sort()).toEqual(
      [OLD_TOKEN, USER_TOKEN].sort(),
    );
    await expectNoCanary(h);
  });

  it("refuses a token typed into the command without echoing it, and opens no form", async () => {
    const { h } = await setUp();
    for (const text of [
      `rotate-token github.com ${SERVICE_ACCOUNT} ghp_${NEW_TOKEN}`,
      `rotate-token github.com ghp_0123456789abcdefABCDEF0123456789abcd`,
      `rotate-token github.com ${SERVICE_ACCOUNT} aws-eu and-more-words`,
    ]) {
      const ack = await h.command(text);
      const reply = await h.waitForResponse(ack.responseUrlId);
      expect(callText(reply)).toContain("looks like a secret");
      expect(h.slack.everything()).not.toContain("0123456789abcdef");
      expect(h.slack.everything()).not.toContain("and-more-words");
    }
    await h.slack.waitFor(() => audits(h, `rotate-token by ${ADMIN}: refused`).length === 3);
    expect(h.slack.callsTo("views.open")).toHaveLength(0);
    expect(h.emu.requests.count()).toBe(0);
    await expectNoCanary(h);
  });

  it("asks for the runner when the service account has a token on several, then rotates the named one", async () => {
    const { h, token } = await setUp();
    const us = h.emu.state.seedHostToken({
      runnerId: RUNNER_US_ID,
      host: "github.com",
      token: OTHER_TOKEN,
      subject: { id: SERVICE_ACCOUNT, principal: "PRINCIPAL_SERVICE_ACCOUNT" },
    });
    const { filled } = await openRotateToken(h, `rotate-token github.com ${SERVICE_ACCOUNT}`);
    expect(callText(filled)).toContain("on 2 runners (aws-eu, aws-us)");
    expect(callText(filled)).toContain(`rotate-token github.com ${SERVICE_ACCOUNT} &lt;runner&gt;`);

    const { viewId, filled: form } = await openRotateToken(
      h,
      `rotate-token github.com ${SERVICE_ACCOUNT} aws-us`,
    );
    expect(callText(form)).toContain(us.id);
    await submitToken(h, viewId, NEW_TOKEN);
    await waitForAudit(h, `rotate-token by ${ADMIN}: rotated`);
    expect(h.emu.state.hostTokens.get(us.id)?.token).toBe(NEW_TOKEN);
    expect(h.emu.state.hostTokens.get(token.id)?.token).toBe(OLD_TOKEN);
    await expectNoCanary(h);
  });

  it("resolves a dead replica's unfinished token rotation before taking its lease", async () => {
    const { h, token } = await setUp({ env: { BOT_LEASE_WAIT_MS: "10000" } });
    const { viewId } = await openRotateToken(h, `rotate-token github.com ${SERVICE_ACCOUNT}`);
    // A replica died after Gitpod confirmed its update: its lease lapsed, its entry is open.
    const past = Date.now() - 120_000;
    await h.store.acquireLease({
      key: `rotation:host-token:${token.id}`,
      owner: "dead-replica:j9",
      holder: BOB,
      journalId: "j9",
      ttlMs: 60_000,
      now: past,
    });
    await h.store.beginRotation({
      id: "j9",
      credential: "host-token",
      integrationId: "",
      tokenId: token.id,
      host: "github.com",
      runnerId: RUNNER_EU_ID,
      actor: BOB,
      source: "slack",
      owner: "dead-replica",
      startedAt: past,
    });
    await h.store.setRotationPhase("j9", "updated", past + 1000);

    await submitToken(h, viewId, NEW_TOKEN);
    const done = await waitForAudit(h, `rotate-token by ${ADMIN}: rotated`);
    const [interrupted] = audits(h, `rotate-token by ${BOB}: interrupted`);
    expect(interrupted).toBeDefined();
    expect(h.slack.calls.indexOf(interrupted as RecordedCall)).toBeLessThan(h.slack.calls.indexOf(done));
    expect(callText(interrupted as RecordedCall)).toContain(
      `the stored token of service account ${SERVICE_ACCOUNT} is the new one`,
    );
    expect(await h.store.getRotation("j9")).toMatchObject({ outcome: "interrupted" });
    expect(h.emu.state.hostTokens.get(token.id)?.token).toBe(NEW_TOKEN);
    await expectNoCanary(h);
  });
});
