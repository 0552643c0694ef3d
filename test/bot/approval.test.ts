/**
 * Four-eyes approval, driven by signed Slack requests: request, refusals (own request, not an
 * approver), approval, the requester's button to the form, the rotation, no second use; denial
 * and expiry.
 */
import { afterEach, describe, expect, it } from "vitest";
import { GITHUB_OAUTH_CLIENT_ID, GITHUB_OAUTH_SECRET } from "../emulator/index.js";
import type { RecordedCall } from "../fakes/slack-api.js";
import { seedGitHubIntegration } from "../support/fixtures.js";
import {
  ADMIN,
  AUDIT_CHANNEL,
  CHANNEL,
  callText,
  type Harness,
  openedViewId,
  startHarness,
} from "./harness.js";

const CANARY = "canary-approval-secret-9d8c7b";
const BOB = "U0BOB";
const CAROL = "U0CAROL";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setUp(env: Record<string, string> = {}) {
  h = await startHarness({
    env: { SLACK_ROTATE_APPROVERS: `${BOB},S0APPROVERS`, SLACK_ROTATE_APPROVALS_REQUIRED: "1", ...env },
    usergroups: { S0APPROVERS: [CAROL] },
  });
  const integration = seedGitHubIntegration(h.emu.state);
  h.emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [GITHUB_OAUTH_SECRET, CANARY]);
  return { h, integration };
}

function buttonsOf(call: RecordedCall): Array<{ action_id?: string; value?: string }> {
  const blocks =
    (call.args.blocks as Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }>) ??
    [];
  return blocks.filter((block) => block.type === "actions").flatMap((block) => block.elements ?? []);
}

function click(harness: Harness, user: string, channel: string, actionId: string, value: string) {
  return harness.click({ user, channel, actionId, value });
}

/** `rotate <target>`, the reason modal it opens under approval, submitted with `reason`. */
async function requestRotation(
  harness: Harness,
  target: string,
  reason = "the secret was in a screen share",
) {
  const { ack, viewId, filled } = await harness.openModal(`rotate ${target}`);
  expect((filled.args.view as { callback_id?: string }).callback_id).toBe("approval_request_submit");
  expect((await harness.submitText(viewId, { reason })).status).toBe(200);
  const shown = await harness.slack.waitFor(
    (call) =>
      call.method === "views.update" &&
      call.args.view_id === viewId &&
      callText(call).includes("needs approval by someone else"),
  );
  const request = await harness.slack.waitFor(
    (call) =>
      call.method === "chat.postMessage" &&
      call.args.channel === AUDIT_CHANNEL &&
      callText(call).includes("Approval needed"),
  );
  const approve = buttonsOf(request).find((button) => button.action_id === "approval_approve");
  return { ack, shown, request, approvalId: approve?.value ?? "" };
}

describe("four-eyes approval", () => {
  it("asks, refuses the requester and non-approvers, then lets the requester rotate once after approval", async () => {
    const { h, integration } = await setUp();
    const { shown, request, approvalId } = await requestRotation(h, "github.com");
    // No form: the modal says approval is needed; the audit channel has the request with both buttons.
    expect((shown.args.view as { callback_id?: string }).callback_id).not.toBe("rotate_submit");
    expect(callText(shown)).toContain("needs approval by someone else");
    expect(buttonsOf(request).map((button) => button.action_id)).toEqual([
      "approval_approve",
      "approval_deny",
    ]);
    expect(callText(request)).toContain(
      `<@${ADMIN}> wants to rotate the OAuth secret of *github.com (github)*`,
    );

    const own = await click(h, ADMIN, AUDIT_CHANNEL, "approval_approve", approvalId);
    expect(callText(await h.waitForResponse(own.responseUrlId))).toContain("cannot approve your own request");
    const stranger = await click(h, "U0STRANGER", AUDIT_CHANNEL, "approval_approve", approvalId);
    expect(callText(await h.waitForResponse(stranger.responseUrlId))).toContain("not one of the approvers");
    expect((await h.store.getApproval(approvalId))?.status).toBe("pending");
    expect(h.emu.requests.count("UpdateSCMIntegration")).toBe(0);

    // Carol approves through the user group.
    const carol = await click(h, CAROL, AUDIT_CHANNEL, "approval_approve", approvalId);
    expect(callText(await h.waitForResponse(carol.responseUrlId))).toContain("Recorded");
    const approvedAudit = await h.slack.waitFor(
      (call) =>
        call.args.channel === AUDIT_CHANNEL &&
        String(call.args.text).includes(`approval by ${CAROL}: approved`),
    );
    expect(callText(approvedAudit)).toContain("the requester may now enter the new secret");
    const notice = await h.slack.waitFor(
      (call) =>
        call.method === "chat.postEphemeral" &&
        call.args.user === ADMIN &&
        callText(call).includes("was approved"),
    );
    expect(notice.args.channel).toBe(CHANNEL);
    const [openForm] = buttonsOf(notice);
    expect(openForm?.action_id).toBe("approval_open_form");

    // Only the requester can open the form.
    const bobTries = await click(h, BOB, CHANNEL, "approval_open_form", approvalId);
    expect(callText(await h.waitForResponse(bobTries.responseUrlId))).toContain("Only the person who asked");
    const opened = await click(h, ADMIN, CHANNEL, "approval_open_form", approvalId);
    const form = await h.slack.waitFor(
      (call) => call.method === "views.open" && call.args.trigger_id === opened.triggerId,
    );
    expect((form.args.view as { callback_id?: string }).callback_id).toBe("rotate_submit");
    const viewId = openedViewId(form) ?? "";
    await h.submitRotation(viewId, CANARY);
    const done = await h.slack.waitFor(
      (call) =>
        call.args.channel === AUDIT_CHANNEL && String(call.args.text).includes(`rotate by ${ADMIN}: rotated`),
    );
    expect(done).toBeDefined();
    expect(h.emu.state.decryptClientSecret(integration.id)).toBe(CANARY);
    expect((await h.store.getApproval(approvalId))?.status).toBe("used");

    // The same approval cannot be used twice: the same form submitted again is refused.
    await h.interact({
      type: "view_submission",
      team: { id: "T0TEST", domain: "test" },
      user: { id: ADMIN, team_id: "T0TEST" },
      api_app_id: "A0TEST",
      trigger_id: "trigger-replay",
      view: {
        ...(form.args.view as Record<string, unknown>),
        id: viewId,
        state: {
          values: {
            client_id: { value: { type: "plain_text_input", value: GITHUB_OAUTH_CLIENT_ID } },
            client_secret: { value: { type: "plain_text_input", value: CANARY } },
          },
        },
      },
    });
    await h.slack.waitFor(
      (call) =>
        call.args.channel === AUDIT_CHANNEL &&
        String(call.args.text).includes(`rotate by ${ADMIN}: refused`) &&
        callText(call).includes("already used"),
    );
    expect(h.emu.requests.count("UpdateSCMIntegration")).toBe(1);

    // The history tells who approved the rotation.
    const history = await h.command("history github.com");
    const page = callText(await h.waitForResponse(history.responseUrlId));
    expect(page).toContain(`approved by <@${CAROL}>`);
    expect(page).toContain("*approval* by");
    expect(h.slack.everything()).not.toContain(CANARY);
    expect(h.logs.join("\n")).not.toContain(CANARY);
  });

  it("a crafted form submission without an approved request changes nothing", async () => {
    const { h, integration } = await setUp();
    await requestRotation(h, "github.com");
    // A form as the bot would show it without approvals, submitted directly.
    const ack = await h.command(`rotate ${integration.id}`);
    expect(ack.status).toBe(200);
    const viewId = "VFORGED";
    await h.interact({
      type: "view_submission",
      team: { id: "T0TEST", domain: "test" },
      user: { id: ADMIN, team_id: "T0TEST" },
      api_app_id: "A0TEST",
      trigger_id: "trigger-forged",
      view: {
        id: viewId,
        type: "modal",
        callback_id: "rotate_submit",
        private_metadata: JSON.stringify({ integrationId: integration.id }),
        state: {
          values: {
            client_id: { value: { type: "plain_text_input", value: GITHUB_OAUTH_CLIENT_ID } },
            client_secret: { value: { type: "plain_text_input", value: CANARY } },
          },
        },
        blocks: [],
      },
    });
    await h.slack.waitFor(
      (call) => call.args.channel === AUDIT_CHANNEL && callText(call).includes("need an approved request"),
    );
    expect(h.emu.requests.count("UpdateSCMIntegration")).toBe(0);
    expect(h.emu.state.decryptClientSecret(integration.id)).toBe(GITHUB_OAUTH_SECRET);
  });

  it("a denial tells the requester; an expired request cannot be approved", async () => {
    const { h } = await setUp({ SLACK_ROTATE_APPROVAL_TTL_MS: "1000" });
    const first = await requestRotation(h, "github.com");
    const denied = await click(h, BOB, AUDIT_CHANNEL, "approval_deny", first.approvalId);
    const denyForm = await h.slack.waitFor(
      (call) => call.method === "views.open" && call.args.trigger_id === denied.triggerId,
    );
    await h.submitText(openedViewId(denyForm) ?? "", { reason: "not during the freeze" }, { user: BOB });
    const told = await h.slack.waitFor(
      (call) =>
        call.method === "chat.postEphemeral" &&
        call.args.user === ADMIN &&
        callText(call).includes("was denied"),
    );
    expect(buttonsOf(told)).toEqual([]);
    expect((await h.store.getApproval(first.approvalId))?.status).toBe("denied");

    h.slack.calls.length = 0;
    const second = await requestRotation(h, "github.com");
    // Part of the scenario: the approval's 1 s lifetime (SLACK_ROTATE_APPROVAL_TTL_MS) runs out.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const late = await click(h, BOB, AUDIT_CHANNEL, "approval_approve", second.approvalId);
    expect(callText(await h.waitForResponse(late.responseUrlId))).toContain("expired");
    await h.slack.waitFor(
      (call) =>
        // Closed by Bob's late vote or by the expiry sweep, whichever came first.
        call.args.channel === AUDIT_CHANNEL &&
        /approval by (U0BOB|schedule): expired/.test(String(call.args.text)),
    );
    expect((await h.store.getApproval(second.approvalId))?.status).toBe("expired");
    expect(h.emu.requests.count("UpdateSCMIntegration")).toBe(0);
  });
});
