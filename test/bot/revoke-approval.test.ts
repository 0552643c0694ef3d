/**
 * `revoke` under four-eyes approval, driven by signed Slack requests against the emulator: the
 * requester confirms the preview, a second authorized admin approves, then exactly the previewed
 * tokens are deleted (once, idempotently) and the audit channel is told. The requester cannot
 * approve their own request; a non-approver is refused and audited; a deny deletes nothing.
 */
import { afterEach, describe, expect, it } from "vitest";
import { RUNNER_EU_ID, RUNNER_US_ID } from "../emulator/index.js";
import type { RecordedCall } from "../fakes/slack-api.js";
import { seedServiceAccountHostToken, seedUserHostToken } from "../support/fixtures.js";
import {
  ADMIN,
  AUDIT_CHANNEL,
  CHANNEL,
  callText,
  type Harness,
  openedViewId,
  startHarness,
} from "./harness.js";

const SERVICE_ACCOUNT = "0b9e7c1a-3f2d-4c5b-8a6e-9d1f2e3c4b5a";
const ALICE = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
const BOB_GITPOD = "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a";
const APPROVER = "U0BOB";
const CAROL = "U0CAROL";
const CANARIES = ["canary-four-eyes-alice-1a1a", "canary-four-eyes-bob-2b2b", "canary-four-eyes-sa-3c3c"];

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function seeded() {
  h = await startHarness({
    env: { SLACK_ROTATE_APPROVERS: `${APPROVER},S0APPROVERS`, SLACK_ROTATE_APPROVALS_REQUIRED: "1" },
    usergroups: { S0APPROVERS: [CAROL] },
  });
  const state = h.emu.state;
  const user = (id: string, runnerId: string, token: string) =>
    seedUserHostToken(state, { user: id, runnerId, token });
  const alice = user(ALICE, RUNNER_EU_ID, CANARIES[0] ?? "");
  const bob = user(BOB_GITPOD, RUNNER_US_ID, CANARIES[1] ?? "");
  const sa = seedServiceAccountHostToken(state, {
    serviceAccount: SERVICE_ACCOUNT,
    runnerId: RUNNER_EU_ID,
    token: CANARIES[2] ?? "",
  });
  return { h, alice: alice.id, bob: bob.id, sa: sa.id };
}

function button(call: RecordedCall, actionId: string): string | undefined {
  const blocks =
    (call.args.blocks as Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }>) ??
    [];
  return blocks
    .filter((block) => block.type === "actions")
    .flatMap((block) => block.elements ?? [])
    .find((element) => element.action_id === actionId)?.value;
}

async function click(harness: Harness, user: string, channel: string, actionId: string, value: string) {
  return (await harness.click({ user, channel, actionId, value })).responseUrlId;
}

function remainingIds(harness: Harness): string[] {
  return [...harness.emu.state.hostTokens.values()].map((token) => token.id).sort();
}

function auditPosts(harness: Harness, includes: string): RecordedCall[] {
  return harness.slack.calls.filter((call) => isAuditPost(call, includes));
}

function isAuditPost(call: RecordedCall, includes: string): boolean {
  return (
    call.method === "chat.postMessage" &&
    call.args.channel === AUDIT_CHANNEL &&
    String(call.args.text).includes(includes)
  );
}

function waitForAuditPost(harness: Harness, includes: string): Promise<RecordedCall> {
  return harness.slack.waitFor((call) => isAuditPost(call, includes));
}

function expectNoCanary(harness: Harness) {
  const everything = harness.slack.calls.map(callText).join("\n") + harness.logs.join("\n");
  for (const canary of CANARIES) expect(everything).not.toContain(canary);
}

/** `revoke github.com all-users` by the admin, confirmed: resolves with the approval request's post. */
async function requestRevoke(harness: Harness) {
  const asked = await harness.command("revoke github.com all-users");
  const preview = await harness.waitForResponse(asked.responseUrlId, (text) => text.includes("Revoke"));
  expect(callText(preview)).toContain("Revoke 2 host authentication tokens");
  const confirmed = await click(
    harness,
    ADMIN,
    CHANNEL,
    "revoke_confirm",
    button(preview, "revoke_confirm") ?? "",
  );
  const answer = await harness.waitForResponse(confirmed, (text) => text.includes("approval"));
  const request = await harness.slack.waitFor(
    (call) =>
      call.method === "chat.postMessage" &&
      call.args.channel === AUDIT_CHANNEL &&
      callText(call).includes("Approval needed"),
  );
  return { answer, request, approvalId: button(request, "approval_approve") ?? "" };
}

describe("revoke with four-eyes approval", () => {
  it("the requester confirms, a second admin approves, then exactly those tokens are deleted once", async () => {
    const { h, alice, bob, sa } = await seeded();
    const { answer, request, approvalId } = await requestRevoke(h);
    expect(callText(answer)).toContain("needs approval by someone else");
    expect(callText(answer)).toContain("Nothing was deleted yet");
    // The request shows exactly what would be deleted: count, owners, runners; not the service account.
    const shown = callText(request);
    expect(shown).toContain(`<@${ADMIN}> wants to revoke 2 host authentication tokens for`);
    expect(shown).toContain(ALICE);
    expect(shown).toContain(BOB_GITPOD);
    expect(shown).toContain("aws-eu");
    expect(shown).toContain("aws-us");
    expect(shown).not.toContain(SERVICE_ACCOUNT);
    expect(button(request, "approval_deny")).toBe(approvalId);
    expect(remainingIds(h)).toHaveLength(3);

    // The requester cannot approve their own request; a non-approver is refused; both audited.
    const own = await click(h, ADMIN, AUDIT_CHANNEL, "approval_approve", approvalId);
    expect(callText(await h.waitForResponse(own))).toContain("cannot approve your own request");
    const stranger = await click(h, "U0STRANGER", AUDIT_CHANNEL, "approval_approve", approvalId);
    expect(callText(await h.waitForResponse(stranger))).toContain("not one of the approvers");
    await waitForAuditPost(h, `approval by U0STRANGER: refused`);
    expect(auditPosts(h, `approval by ${ADMIN}: refused`)).toHaveLength(1);
    expect((await h.store.getApproval(approvalId))?.status).toBe("pending");
    expect(remainingIds(h)).toHaveLength(3);

    // Someone deletes Alice's token between the request and the run: not an error.
    h.emu.state.deleteHostToken(alice);
    const approved = await click(h, APPROVER, AUDIT_CHANNEL, "approval_approve", approvalId);
    expect(callText(await h.waitForResponse(approved))).toContain("Recorded");
    const revoked = await waitForAuditPost(h, "revoked");
    expect(remainingIds(h)).toEqual([sa]);
    expect(remainingIds(h)).not.toContain(bob);
    const record = callText(revoked);
    expect(record).toContain("1 deleted, 1 already gone, 0 not deleted (2 confirmed)");
    expect(record).toContain(`approved by ${APPROVER}`);
    // The requester is told where they asked.
    const notice = await h.slack.waitFor(
      (call) =>
        call.method === "chat.postEphemeral" &&
        call.args.user === ADMIN &&
        callText(call).includes("already gone"),
    );
    expect(notice.args.channel).toBe(CHANNEL);
    expect(callText(notice)).not.toContain("NOT deleted");

    // A later approval by someone else neither counts nor deletes again.
    const late = await click(h, CAROL, AUDIT_CHANNEL, "approval_approve", approvalId);
    expect(callText(await h.waitForResponse(late))).toContain("already decided");
    expect(auditPosts(h, "revoked")).toHaveLength(1);
    expect((await h.store.getApproval(approvalId))?.status).toBe("used");
    // Only Bob's: Alice's token is no longer among the runners' tokens, so nothing is sent for it.
    expect(h.emu.requests.count("DeleteHostAuthenticationToken")).toBe(1);

    const history = await h.store.history({ host: "github.com", limit: 20 });
    const run = history.find((event) => event.action === "revoke" && event.outcome === "revoked");
    expect(run).toMatchObject({ actor: ADMIN, approvalId });
    expect(history.some((event) => event.action === "revoke" && event.outcome === "requested")).toBe(true);
    expectNoCanary(h);
  });

  it("a deny deletes nothing and tells the requester", async () => {
    const { h } = await seeded();
    const { approvalId } = await requestRevoke(h);
    // A Deny asks why (a modal); the answer is shown in that modal.
    const denied = await h.click({
      user: CAROL,
      channel: AUDIT_CHANNEL,
      actionId: "approval_deny",
      value: approvalId,
    });
    const form = await h.slack.waitFor(
      (call) => call.method === "views.open" && call.args.trigger_id === denied.triggerId,
    );
    const formId = openedViewId(form) ?? "";
    await h.submitText(formId, { reason: "not during the incident review" }, { user: CAROL });
    await h.slack.waitFor(
      (call) =>
        call.method === "views.update" && call.args.view_id === formId && callText(call).includes("Recorded"),
    );
    const notice = await h.slack.waitFor(
      (call) =>
        call.method === "chat.postEphemeral" && call.args.user === ADMIN && callText(call).includes("denied"),
    );
    expect(callText(notice)).toContain(
      "Your revoke of *2 host tokens for github.com (all users)* was denied",
    );
    const audit = await waitForAuditPost(h, `approval by ${CAROL}: denied`);
    expect(callText(audit)).toContain("nothing is deleted with it");
    expect(callText(audit)).toContain("not during the incident review");
    const again = await click(h, APPROVER, AUDIT_CHANNEL, "approval_approve", approvalId);
    expect(callText(await h.waitForResponse(again))).toContain("already decided");
    expect(remainingIds(h)).toHaveLength(3);
    expect(h.emu.requests.count("DeleteHostAuthenticationToken")).toBe(0);
    expectNoCanary(h);
  });

  it("an unauthorized requester is refused and audited before any approval is asked", async () => {
    const { h } = await seeded();
    const asked = await h.command("revoke github.com all-users", { user: "U0INTRUDER" });
    const reply = await h.waitForResponse(asked.responseUrlId);
    expect(callText(reply)).toContain("not allowed to revoke host tokens");
    expect(button(reply, "revoke_confirm")).toBeUndefined();
    await waitForAuditPost(h, "revoke by U0INTRUDER: unauthorized");
    expect(auditPosts(h, "Approval needed")).toHaveLength(0);
    expect(remainingIds(h)).toHaveLength(3);
  });

  it("an approval for a revoke cannot open the rotate form", async () => {
    const { h } = await seeded();
    const { approvalId } = await requestRevoke(h);
    const opened = await click(h, ADMIN, CHANNEL, "approval_open_form", approvalId);
    expect(callText(await h.waitForResponse(opened))).toContain("This approval is for a revoke");
    expect(h.slack.calls.some((call) => call.method === "views.open")).toBe(false);
  });
});
