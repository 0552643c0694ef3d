/** The bot over signed Slack requests: a rotation whose runner is offline says so and changes nothing. */
import { afterEach, describe, expect, it } from "vitest";
import { GITHUB_OAUTH_CLIENT_ID, GITHUB_OAUTH_SECRET, RUNNER_EU_ID } from "../emulator/index.js";
import { seedGitHubIntegration } from "../support/fixtures.js";
import { ADMIN, callText, type Harness, openedViewId, startHarness } from "./harness.js";

const CANARY = "canary-offline-secret-41c9e2";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("rotation through the bot with the runner offline", () => {
  it("reports the runner offline in words, writes nothing, and leaks no secret", async () => {
    h = await startHarness({ gitpodMaxRetries: 0 });
    const integration = seedGitHubIntegration(h.emu.state, { pat: false });
    h.emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [GITHUB_OAUTH_SECRET, CANARY]);
    const harness = h;
    const ack = await harness.command(`rotate ${integration.id}`, { user: ADMIN });
    expect(ack.status).toBe(200);
    const open = await harness.slack.waitFor(
      (call) =>
        call.method === "views.open" && call.args.trigger_id === `trigger-${ack.responseUrlId.slice(1)}`,
    );
    const viewId = openedViewId(open) ?? "";
    await harness.slack.waitFor((call) => call.method === "views.update" && call.args.view_id === viewId);
    harness.emu.state.setRunnerOnline(RUNNER_EU_ID, false);
    await harness.submitRotation(viewId, CANARY);
    const report = await harness.waitForResponse(ack.responseUrlId, (text) => text.includes("Failed"));
    expect(callText(report)).toContain("The runner is offline");
    expect(harness.emu.requests.count("UpdateSCMIntegration")).toBe(0);
    expect(harness.emu.state.decryptClientSecret(integration.id)).toBe(GITHUB_OAUTH_SECRET);
    for (const call of harness.slack.calls) expect(JSON.stringify(call)).not.toContain(CANARY);
  });
});
