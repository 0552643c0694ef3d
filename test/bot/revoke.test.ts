/** `revoke <host> [...]`, the incident button, driven by signed Slack requests against the emulator. */
import { afterEach, describe, expect, it } from "vitest";
import { RUNNER_EU_ID, RUNNER_US_ID } from "../emulator/index.js";
import type { RecordedCall } from "../fakes/slack-api.js";
import { seedServiceAccountHostToken, seedUserHostToken } from "../support/fixtures.js";
import { ADMIN, AUDIT_CHANNEL, CHANNEL, callText, type Harness, startHarness } from "./harness.js";

const SERVICE_ACCOUNT = "0b9e7c1a-3f2d-4c5b-8a6e-9d1f2e3c4b5a";
const ALICE = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
const BOB = "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a";
const CANARIES = [
  "canary-revoke-alice-7f7f",
  "canary-revoke-bob-8e8e",
  "canary-revoke-sa-9d9d",
  "canary-gitlab-6c6c",
];

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function seeded(options: Parameters<typeof startHarness>[0] = {}) {
  h = await startHarness(options);
  const state = h.emu.state;
  const user = (id: string, runnerId: string, token: string, host = "github.com") =>
    seedUserHostToken(state, { user: id, runnerId, token, host });
  const alice = user(ALICE, RUNNER_EU_ID, CANARIES[0] ?? "");
  const bob = user(BOB, RUNNER_US_ID, CANARIES[1] ?? "");
  const sa = seedServiceAccountHostToken(state, {
    serviceAccount: SERVICE_ACCOUNT,
    runnerId: RUNNER_EU_ID,
    token: CANARIES[2] ?? "",
  });
  const gitlab = user(ALICE, RUNNER_EU_ID, CANARIES[3] ?? "", "gitlab.com");
  return { h, alice, bob, sa, gitlab };
}

function confirmButton(call: RecordedCall): string | undefined {
  const blocks =
    (call.args.blocks as Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }>) ??
    [];
  return blocks
    .filter((block) => block.type === "actions")
    .flatMap((block) => block.elements ?? [])
    .find((element) => element.action_id === "revoke_confirm")?.value;
}

async function click(harness: Harness, user: string, value: string, actionId = "revoke_confirm") {
  return (await harness.click({ user, channel: CHANNEL, actionId, value })).responseUrlId;
}

function remainingIds(harness: Harness): string[] {
  return [...harness.emu.state.hostTokens.values()].map((token) => token.id).sort();
}

function expectNoCanary(harness: Harness) {
  const everything = harness.slack.calls.map(callText).join("\n") + harness.logs.join("\n");
  for (const canary of CANARIES) expect(everything).not.toContain(canary);
}

describe("revoke", () => {
  it("previews the host's user tokens per runner, and the requester's confirmation deletes exactly those", async () => {
    const { h, alice, bob, sa, gitlab } = await seeded();
    const asked = await h.command("revoke github.com all-users");
    expect(asked.status).toBe(200);
    const preview = await h.waitForResponse(asked.responseUrlId, (text) => text.includes("Revoke"));
    const text = callText(preview);
    expect(text).toContain("Revoke 2 host authentication tokens");
    expect(text).toContain(ALICE);
    expect(text).toContain(BOB);
    expect(text).toContain("aws-eu");
    expect(text).toContain("aws-us");
    expect(text).not.toContain(SERVICE_ACCOUNT);
    expect(remainingIds(h)).toHaveLength(4); // a preview deletes nothing

    const value = confirmButton(preview) ?? "";
    expect(value).not.toBe("");
    // Someone else (even an admin-looking user) cannot confirm it.
    const other = await click(h, "U0OTHER", value);
    await h.waitForResponse(other, (reply) => reply.includes("only the person who asked"));
    expect(remainingIds(h)).toHaveLength(4);

    const done = await click(h, ADMIN, value);
    const result = await h.waitForResponse(done, (reply) => reply.includes("deleted"));
    expect(callText(result)).toContain("2 deleted, 0 already gone");
    expect(remainingIds(h)).toEqual([sa.id, gitlab?.id ?? ""].sort());
    expect(remainingIds(h)).not.toContain(alice?.id);
    expect(remainingIds(h)).not.toContain(bob?.id);

    const audit = await h.slack.waitFor(
      (call) => call.args.channel === AUDIT_CHANNEL && String(call.args.text).includes("revoked"),
    );
    expect(callText(audit)).toContain("2 deleted");
    const history = await h.store.history({ host: "github.com", limit: 10 });
    expect(history.some((event) => event.action === "revoke" && event.outcome === "revoked")).toBe(true);
    expectNoCanary(h);
  });

  it("deletes one service account's token, and a token already gone is not an error", async () => {
    const { h, sa } = await seeded();
    const asked = await h.command(`revoke github.com service-account ${SERVICE_ACCOUNT}`);
    const preview = await h.waitForResponse(asked.responseUrlId, (text) => text.includes("Revoke"));
    expect(callText(preview)).toContain("Revoke 1 host authentication token");
    h.emu.state.deleteHostToken(sa.id); // someone else deleted it between preview and confirm
    const done = await click(h, ADMIN, confirmButton(preview) ?? "");
    const result = await h.waitForResponse(done, (reply) => reply.includes("already gone"));
    expect(callText(result)).toContain("0 deleted, 1 already gone");
    expect(callText(result)).not.toContain("NOT deleted");
    await h.slack.waitFor(
      (call) => call.args.channel === AUDIT_CHANNEL && String(call.args.text).includes("revoked"),
    );
    expect(remainingIds(h)).toHaveLength(3);
    expectNoCanary(h);
  });

  it("selects one user's token by @id, and Cancel deletes nothing", async () => {
    const { h } = await seeded();
    const asked = await h.command(`revoke github.com @${BOB}`);
    const preview = await h.waitForResponse(asked.responseUrlId, (text) => text.includes("Revoke"));
    expect(callText(preview)).toContain("Revoke 1 host authentication token");
    expect(callText(preview)).toContain(BOB);
    expect(callText(preview)).not.toContain(ALICE);
    const cancelled = await click(h, ADMIN, "cancel", "revoke_cancel");
    await h.waitForResponse(cancelled, (reply) => reply.includes("nothing was deleted"));
    expect(remainingIds(h)).toHaveLength(4);
  });

  it("refuses and audits an unauthorized user, and deletes nothing", async () => {
    const { h } = await seeded();
    const asked = await h.command("revoke github.com", { user: "U0INTRUDER" });
    const reply = await h.waitForResponse(asked.responseUrlId);
    expect(callText(reply)).toContain("not allowed to revoke host tokens");
    expect(confirmButton(reply)).toBeUndefined();
    const audit = await h.slack.waitFor(
      (call) => call.args.channel === AUDIT_CHANNEL && String(call.args.text).includes("unauthorized"),
    );
    expect(callText(audit)).toContain("revoke");
    expect(remainingIds(h)).toHaveLength(4);
    expectNoCanary(h);
  });

  it("audits a revoke refused for the channel or for a typed secret, and deletes nothing", async () => {
    const { h } = await seeded({ env: { SLACK_VIEW_CHANNEL_IDS: CHANNEL } });
    const elsewhere = await h.command("revoke github.com all-users", { channel: "C0RANDOM" });
    expect(callText(await h.waitForResponse(elsewhere.responseUrlId))).toContain(
      "not available in this channel",
    );
    const refused = await h.slack.waitFor(
      (call) =>
        call.args.channel === AUDIT_CHANNEL &&
        String(call.args.text).includes(`revoke by ${ADMIN}: unauthorized`),
    );
    expect(callText(refused)).toContain("not available in this channel");
    const typed = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB";
    const secret = await h.command(`revoke github.com ${typed}`);
    expect(callText(await h.waitForResponse(secret.responseUrlId))).toContain("looks like a secret");
    await h.slack.waitFor(
      (call) =>
        call.args.channel === AUDIT_CHANNEL && String(call.args.text).includes(`revoke by ${ADMIN}: refused`),
    );
    expect(h.slack.everything()).not.toContain(typed);
    expect(remainingIds(h)).toHaveLength(4);
    expect(h.emu.requests.count("ListHostAuthenticationTokens")).toBe(0);
  });

  it("answers usage for a missing host or an unknown owner form", async () => {
    h = await startHarness();
    const asked = await h.command("revoke github.com bob");
    const reply = await h.waitForResponse(asked.responseUrlId);
    expect(callText(reply)).toContain("revoke &lt;host&gt;");
    expect(callText(reply)).not.toContain("revoke_confirm");
  });
});
