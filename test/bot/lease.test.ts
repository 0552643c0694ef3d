/**
 * The lease on an integration, as a person meets it: another holder (here written into the store
 * as another replica would) makes a rotation wait a bounded time, then proceed or be refused with
 * who holds it and since when.
 */
import { afterEach, describe, expect, it } from "vitest";
import { GITHUB_OAUTH_CLIENT_ID, GITHUB_OAUTH_SECRET } from "../emulator/index.js";
import { seedGitHubIntegration } from "../support/fixtures.js";
import { ADMIN, AUDIT_CHANNEL, callText, type Harness, openedViewId, startHarness } from "./harness.js";

const CANARY = "canary-lease-secret-6f7a8b";
const ALICE = "U0ALICE";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setUp(waitMs: number) {
  h = await startHarness({ env: { BOT_LEASE_WAIT_MS: String(waitMs) } });
  const integration = seedGitHubIntegration(h.emu.state);
  h.emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [GITHUB_OAUTH_SECRET, CANARY]);
  const ack = await h.command(`rotate ${integration.id}`);
  const open = await h.slack.waitFor((call) => call.method === "views.open");
  const viewId = openedViewId(open) ?? "";
  await h.slack.waitFor((call) => call.method === "views.update" && call.args.view_id === viewId);
  // Another replica's rotation of the same integration, by Alice, since 14:02 UTC.
  const since = Date.UTC(2026, 10, 24, 14, 2);
  await h.store.acquireLease({
    key: `rotation:${integration.id}`,
    owner: "other-replica:j0",
    holder: ALICE,
    ttlMs: Date.now() - since + 60_000,
    now: since,
  });
  return { h, integration, viewId, ack };
}

describe("the lease on an integration", () => {
  it("refuses after the bounded wait, naming who rotates it and since when; nothing is sent to Gitpod", async () => {
    const { h, integration, viewId, ack } = await setUp(300);
    await h.submitRotation(viewId, CANARY);
    const refused = await h.slack.waitFor(
      (call) => call.method === "views.update" && callText(call).includes("Nothing was changed; try again"),
    );
    expect(callText(refused)).toContain(`<@${ALICE}> is rotating github.com since 14:02 UTC`);
    const told = await h.waitForResponse(ack.responseUrlId, (text) => text.includes("is rotating"));
    expect(told.args.text).toBe(
      `${ALICE} is rotating github.com since 14:02 UTC. Nothing was changed; try again once it has finished.`,
    );
    const audit = await h.slack.waitFor(
      (call) =>
        call.args.channel === AUDIT_CHANNEL && String(call.args.text).includes(`rotate by ${ADMIN}: refused`),
    );
    expect(callText(audit)).toContain(`${ALICE} is rotating github.com since 14:02 UTC`);
    expect(h.emu.requests.count("ValidateRunnerConfiguration")).toBe(0);
    expect(h.emu.requests.count("UpdateSCMIntegration")).toBe(0);
    expect(h.emu.state.decryptClientSecret(integration.id)).toBe(GITHUB_OAUTH_SECRET);
  });

  it("waits while it is held, says so, and rotates once it is released", async () => {
    const { h, integration, viewId } = await setUp(10_000);
    await h.submitRotation(viewId, CANARY);
    const waiting = await h.slack.waitFor(
      (call) => call.method === "views.update" && callText(call).includes("Waiting for it to finish"),
    );
    expect(callText(waiting)).toContain(`<@${ALICE}> is rotating github.com since 14:02 UTC`);
    expect(h.emu.requests.count("ValidateRunnerConfiguration")).toBe(0);
    await h.store.releaseLease(`rotation:${integration.id}`, "other-replica:j0");
    await h.slack.waitFor(
      (call) =>
        call.args.channel === AUDIT_CHANNEL && String(call.args.text).includes(`rotate by ${ADMIN}: rotated`),
    );
    expect(h.emu.state.decryptClientSecret(integration.id)).toBe(CANARY);
  });

  it("takes over an expired lease only after resolving the dead holder's journal entry", async () => {
    const { h, integration, viewId } = await setUp(10_000);
    await h.store.releaseLease(`rotation:${integration.id}`, "other-replica:j0");
    // A replica died after Gitpod confirmed its update: its lease lapsed, its entry is open.
    const past = Date.now() - 120_000;
    await h.store.acquireLease({
      key: `rotation:${integration.id}`,
      owner: "dead-replica:j9",
      holder: ALICE,
      journalId: "j9",
      ttlMs: 60_000,
      now: past,
    });
    await h.store.beginRotation({
      id: "j9",
      integrationId: integration.id,
      host: "github.com",
      actor: ALICE,
      source: "slack",
      owner: "dead-replica",
      startedAt: past,
    });
    await h.store.setRotationPhase("j9", "updated", past + 1000);

    await h.submitRotation(viewId, CANARY);
    const done = await h.slack.waitFor(
      (call) =>
        call.args.channel === AUDIT_CHANNEL && String(call.args.text).includes(`rotate by ${ADMIN}: rotated`),
    );
    const interrupted = h.slack.calls.findIndex(
      (call) =>
        call.args.channel === AUDIT_CHANNEL &&
        String(call.args.text).includes(`rotate by ${ALICE}: interrupted`),
    );
    expect(interrupted).toBeGreaterThanOrEqual(0);
    expect(interrupted).toBeLessThan(h.slack.calls.indexOf(done));
    // Resolved against what was stored before this rotation: Alice's update (the seeded secret) validates.
    expect(callText(h.slack.calls[interrupted] as (typeof h.slack.calls)[number])).toContain(
      "the stored secret is the new one and valid",
    );
    expect(await h.store.getRotation("j9")).toMatchObject({ outcome: "interrupted" });
    expect(h.emu.state.decryptClientSecret(integration.id)).toBe(CANARY);
  });
});
