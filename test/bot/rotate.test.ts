import { afterEach, describe, expect, it } from "vitest";
import {
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  RUNNER_US_ID,
} from "../emulator/index.js";
import type { RecordedCall } from "../fakes/slack-api.js";
import { seedGitHubIntegration } from "../support/fixtures.js";
import {
  ADMIN,
  AUDIT_CHANNEL,
  callText,
  type Harness,
  type HarnessOptions,
  startHarness,
} from "./harness.js";

const CANARY = "canary-new-oauth-secret-7f3a9c";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setUp(options: HarnessOptions = {}): Promise<{ h: Harness; integrationId: string }> {
  h = await startHarness(options);
  const integration = seedGitHubIntegration(h.emu.state);
  return { h, integrationId: integration.id };
}

/** Run `rotate <target>` and wait until the modal shows something other than "loading". */
function openRotate(harness: Harness, target: string, user = ADMIN) {
  return harness.openModal(`rotate ${target}`, user);
}

/** An audit post of how an attempt ended (not the write-ahead "started" post). */
function isOutcomeAudit(call: RecordedCall): boolean {
  return (
    call.method === "chat.postMessage" &&
    call.args.channel === AUDIT_CHANNEL &&
    !String(call.args.text).includes(": started (")
  );
}

function auditMessages(harness: Harness): RecordedCall[] {
  return harness.slack.calls.filter(isOutcomeAudit);
}

function assertNoLeak(harness: Harness, secret: string): void {
  expect(harness.slack.everything()).not.toContain(secret);
  expect(harness.logs.join("\n")).not.toContain(secret);
}

describe("rotate", () => {
  it("opens the modal at once, prefilled, then rotates: the stored ciphertext decrypts to the new secret", async () => {
    const { h, integrationId } = await setUp();
    h.emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [GITHUB_OAUTH_SECRET, CANARY]);
    const { ack, open, viewId, filled } = await openRotate(h, "github.com");
    expect(ack.ackMs).toBeLessThan(1000);
    expect(callText(open)).toContain("Looking up the integration");
    const form = filled.args.view as {
      callback_id: string;
      blocks: Array<{ block_id?: string; element?: { initial_value?: string } }>;
    };
    expect(form.callback_id).toBe("rotate_submit");
    expect(form.blocks.find((block) => block.block_id === "client_id")?.element?.initial_value).toBe(
      GITHUB_OAUTH_CLIENT_ID,
    );

    const submitted = await h.submitRotation(viewId, CANARY);
    expect(submitted.status).toBe(200);
    expect(submitted.json).toMatchObject({ response_action: "update" });
    expect(submitted.ackMs).toBeLessThan(1000);

    const audit = await h.slack.waitFor(isOutcomeAudit);
    expect(audit.args.text).toBe(`Audit: rotate by ${ADMIN}: rotated (github.com (github))`);
    // Written ahead: the "started" post came before the outcome, and the journal holds the outcome.
    const started = h.slack.calls.findIndex(
      (call) => call.args.channel === AUDIT_CHANNEL && String(call.args.text).includes(": started ("),
    );
    expect(started).toBeGreaterThanOrEqual(0);
    expect(started).toBeLessThan(h.slack.calls.indexOf(audit));
    const [event] = await h.store.history({ integrationId, limit: 1 });
    expect(event).toMatchObject({ action: "rotate", outcome: "rotated", actor: ADMIN, host: "github.com" });
    expect(JSON.stringify(await h.store.history({ limit: 50 }))).not.toContain(CANARY);
    expect(callText(audit)).toContain("• verify: ok");
    expect(h.emu.state.decryptClientSecret(integrationId)).toBe(CANARY);

    const report = await h.waitForResponse(ack.responseUrlId, (text) => text.includes("Rotated"));
    expect(callText(report)).toContain(":white_check_mark: 4. Read back and validate the stored secret");
    const result = await h.slack.waitFor(
      (call) =>
        call.method === "views.update" && call.args.view_id === viewId && callText(call).includes("Rotated"),
    );
    expect(result).toBeDefined();
    const auditLine = h.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.event === "audit")
      .at(-1);
    expect(auditLine).toMatchObject({ actor: ADMIN, outcome: "rotated", integrationId, host: "github.com" });
    assertNoLeak(h, CANARY);
  });

  it("changes nothing when the new secret is wrong, and says why", async () => {
    const { h, integrationId } = await setUp();
    const before = h.emu.state.findScmIntegrationByHost(RUNNER_EU_ID, "github.com")?.oauth
      ?.encryptedClientSecret;
    const { ack, viewId } = await openRotate(h, integrationId);
    await h.submitRotation(viewId, CANARY);
    const report = await h.waitForResponse(ack.responseUrlId, (text) => text.includes("Refused"));
    expect(callText(report)).toContain("OAuth client id and secret");
    expect(h.emu.requests.count("UpdateSCMIntegration")).toBe(0);
    expect(
      h.emu.state.findScmIntegrationByHost(RUNNER_EU_ID, "github.com")?.oauth?.encryptedClientSecret,
    ).toBe(before);
    expect(h.emu.state.decryptClientSecret(integrationId)).toBe(GITHUB_OAUTH_SECRET);
    const audit = await h.slack.waitFor(isOutcomeAudit);
    expect(audit.args.text).toContain("rejected");
    expect(callText(audit)).toContain("• update: skipped");
    assertNoLeak(h, CANARY);
  });

  it("refuses an unauthorized user, ephemerally, and audits it", async () => {
    const { h, integrationId } = await setUp();
    const { ack, filled } = await openRotate(h, "github.com", "U0STRANGER");
    expect(callText(filled)).toContain("You are not allowed to rotate credentials");
    const refusal = await h.waitForResponse(ack.responseUrlId);
    expect(refusal.args.response_type).toBe("ephemeral");
    const audit = await h.slack.waitFor(isOutcomeAudit);
    expect(audit.args.text).toContain("Audit: rotate by U0STRANGER: unauthorized");
    expect(h.emu.requests.count()).toBe(0);
    expect(h.emu.state.decryptClientSecret(integrationId)).toBe(GITHUB_OAUTH_SECRET);
  });

  it("checks again at submission: a form opened by an admin and submitted by someone else changes nothing", async () => {
    const { h, integrationId } = await setUp();
    h.emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [GITHUB_OAUTH_SECRET, CANARY]);
    const { ack, viewId } = await openRotate(h, "github.com");
    await h.submitRotation(viewId, CANARY, { user: "U0STRANGER" });
    const refusal = await h.waitForResponse(ack.responseUrlId, (text) => text.includes("not allowed"));
    expect(refusal.args.response_type).toBe("ephemeral");
    const audit = await h.slack.waitFor(isOutcomeAudit);
    expect(audit.args.text).toContain("Audit: rotate by U0STRANGER: unauthorized");
    expect(h.emu.requests.count("UpdateSCMIntegration")).toBe(0);
    expect(h.emu.requests.count("ValidateRunnerConfiguration")).toBe(0);
    expect(h.emu.state.decryptClientSecret(integrationId)).toBe(GITHUB_OAUTH_SECRET);
    assertNoLeak(h, CANARY);
  });

  it("lets members of the configured user group rotate", async () => {
    const { h } = await setUp({
      env: { SLACK_ROTATE_USER_IDS: "", SLACK_ROTATE_USERGROUP_ID: "S0ADMINS" },
      usergroups: { S0ADMINS: ["U0MEMBER"] },
    });
    const member = await openRotate(h, "github.com", "U0MEMBER");
    expect((member.filled.args.view as { callback_id?: string }).callback_id).toBe("rotate_submit");
    const outsider = await openRotate(h, "github.com", "U0OUTSIDER");
    expect(callText(outsider.filled)).toContain("not a member of the user group");
    expect(h.slack.callsTo("usergroups.users.list").length).toBeGreaterThanOrEqual(1);
  });

  it("refuses a secret typed into the command and warns to revoke it", async () => {
    const { h } = await setUp();
    const typed = "0123456789abcdef0123456789abcdef01234567";
    const ack = await h.command(`rotate ${typed}`);
    const warning = await h.waitForResponse(ack.responseUrlId);
    expect(callText(warning)).toContain("revoke it");
    expect(h.slack.callsTo("views.open")).toHaveLength(0);
    const audit = await h.slack.waitFor(isOutcomeAudit);
    expect(audit.args.text).toContain("refused");
    expect(h.emu.requests.count()).toBe(0);
    assertNoLeak(h, typed);
  });

  it("lets the user choose when a host matches several integrations", async () => {
    const { h, integrationId } = await setUp();
    const us = seedGitHubIntegration(h.emu.state, { runnerId: RUNNER_US_ID, pat: false });
    const { viewId, filled } = await openRotate(h, "github.com");
    const view = filled.args.view as {
      blocks: Array<{ accessory?: { action_id: string; value: string } }>;
      private_metadata: string;
    };
    const buttons = view.blocks
      .map((block) => block.accessory)
      .filter((accessory) => accessory !== undefined);
    expect(buttons.map((button) => button.value).sort()).toEqual([integrationId, us.id].sort());

    const choice = buttons.find((button) => button.value === us.id);
    await h.interact({
      type: "block_actions",
      team: { id: "T0TEST", domain: "test" },
      user: { id: ADMIN, team_id: "T0TEST" },
      api_app_id: "A0TEST",
      token: "legacy-verification-token",
      trigger_id: "trigger-choice",
      container: { type: "view", view_id: viewId },
      view: { ...view, id: viewId, type: "modal", team_id: "T0TEST", hash: "1.h" },
      actions: [
        { type: "button", action_id: choice?.action_id, block_id: "b", value: us.id, action_ts: "1.1" },
      ],
    });
    const form = await h.slack.waitFor(
      (call) =>
        call.method === "views.update" &&
        call.args.view_id === viewId &&
        callText(call).includes("rotate_submit"),
    );
    expect(callText(form)).toContain(us.id);
  });

  it("runs concurrent rotations of the same integration one after the other", async () => {
    const { h, integrationId } = await setUp({ emulator: { latencyMs: 20 } });
    const second = `${CANARY}-2`;
    h.emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [
      GITHUB_OAUTH_SECRET,
      CANARY,
      second,
    ]);
    const first = await openRotate(h, integrationId);
    const other = await openRotate(h, integrationId);
    await Promise.all([h.submitRotation(first.viewId, CANARY), h.submitRotation(other.viewId, second)]);
    await h.slack.waitFor(() => auditMessages(h).length === 2, 10_000);
    for (const audit of auditMessages(h)) expect(audit.args.text).toContain(": rotated (");

    // Serialized: test, update, verify of one rotation, then of the other; never interleaved.
    const sequence = h.emu.requests
      .all()
      .filter((entry) => entry.rpc === "UpdateSCMIntegration" || entry.rpc === "ValidateRunnerConfiguration")
      .map((entry) => {
        if (entry.rpc === "UpdateSCMIntegration") return "update";
        const body = entry.body as { scmIntegration?: { oauthPlaintextClientSecret?: string } };
        return body.scmIntegration?.oauthPlaintextClientSecret ? "test" : "verify";
      });
    expect(sequence).toEqual(["test", "update", "verify", "test", "update", "verify"]);
    expect([CANARY, second]).toContain(h.emu.state.decryptClientSecret(integrationId));
    assertNoLeak(h, CANARY);
  });

  it("shows an API failure during the rotation in words and changes nothing", async () => {
    const { h, integrationId } = await setUp({ gitpodMaxRetries: 0 });
    h.emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [GITHUB_OAUTH_SECRET, CANARY]);
    const { ack, viewId } = await openRotate(h, integrationId);
    h.emu.faults.add({ kind: "status", status: 503, rpc: "UpdateSCMIntegration", times: 5 });
    await h.submitRotation(viewId, CANARY);
    const report = await h.waitForResponse(ack.responseUrlId, (text) => text.includes("Failed"));
    expect(callText(report)).toContain("The Gitpod API is unavailable right now");
    expect(h.emu.state.decryptClientSecret(integrationId)).toBe(GITHUB_OAUTH_SECRET);
    assertNoLeak(h, CANARY);
  });
});
