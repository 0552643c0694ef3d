/** `history [integration-id | host]`, driven by signed Slack requests against the in-process bot. */
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

const CANARY = "canary-history-secret-5a6b7c";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function seeded() {
  h = await startHarness();
  const integration = seedGitHubIntegration(h.emu.state);
  h.emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [GITHUB_OAUTH_SECRET, CANARY]);
  return { h, integration };
}

function buttons(call: RecordedCall): Array<{ action_id?: string; value?: string }> {
  const blocks =
    (call.args.blocks as Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }>) ??
    [];
  return blocks.filter((block) => block.type === "actions").flatMap((block) => block.elements ?? []);
}

describe("history", () => {
  it("shows who rotated and validated an integration, when, and with which outcome, newest first", async () => {
    const { h, integration } = await seeded();
    const rotate = await h.command(`rotate ${integration.id}`);
    const open = await h.slack.waitFor((call) => call.method === "views.open");
    const viewId = openedViewId(open) ?? "";
    await h.slack.waitFor((call) => call.method === "views.update" && call.args.view_id === viewId);
    await h.submitRotation(viewId, CANARY);
    await h.waitForResponse(rotate.responseUrlId, (text) => text.includes("Rotated"));
    await h.slack.waitFor(
      (call) => call.args.channel === AUDIT_CHANNEL && String(call.args.text).includes(": rotated ("),
    );
    const validate = await h.command("validate github.com", { user: "U0VIEWER" });
    await h.waitForResponse(validate.responseUrlId);

    const asked = await h.command("history github.com", { user: "U0VIEWER" });
    expect(asked.status).toBe(200);
    const answer = await h.waitForResponse(asked.responseUrlId);
    expect(answer.args.response_type).toBe("ephemeral");
    const sections = (answer.args.blocks as Array<{ text?: { text?: string } }>).map(
      (block) => block.text?.text ?? "",
    );
    expect(sections[0]).toBe("*History of github.com*, newest first");
    expect(sections[1]).toMatch(
      /^:white_check_mark: \d{4}-\d\d-\d\d \d\d:\d\d UTC · \*validate\* by <@U0VIEWER>: \*valid\* · github\.com \(github\)/,
    );
    expect(sections[2]).toContain(`*rotate* by <@${ADMIN}>: *rotated* · github.com (github)`);
    expect(sections[2]).toContain("Rotated: the new secret is stored and validates.");
    expect(sections[3]).toContain(`*rotate* by <@${ADMIN}>: *started*`);
    expect(callText(answer)).toContain("That is all the history the bot has.");
    // The same by id; nothing for another host; no secret anywhere.
    const byId = await h.command(`history ${integration.id}`);
    expect(callText(await h.waitForResponse(byId.responseUrlId))).toContain("*rotate* by");
    const other = await h.command("history gitlab.com");
    expect(callText(await h.waitForResponse(other.responseUrlId))).toContain("No history of gitlab.com yet");
    expect(h.slack.everything()).not.toContain(CANARY);
  });

  it("pages with an Older button, and escapes what it did not write", async () => {
    const { h, integration } = await seeded();
    const base = Date.UTC(2026, 10, 20, 9, 0);
    for (let index = 0; index < 20; index++) {
      await h.store.recordEvent({
        at: base + index * 60_000,
        action: "rotate",
        actor: ADMIN,
        source: "slack",
        outcome: index === 0 ? "failed" : "rotated",
        integrationId: integration.id,
        host: "github.com",
        scmId: "github",
        reason: index === 0 ? "<!channel> *owned* by the API" : `rotation ${index}`,
      });
    }
    const asked = await h.command("history github.com");
    const first = await h.waitForResponse(asked.responseUrlId);
    expect(callText(first)).toContain("rotation 19");
    expect(callText(first)).not.toContain("rotation 4\\n");
    const [older] = buttons(first);
    expect(older?.action_id).toBe("history_older");

    const clicked = await h.interact({
      type: "block_actions",
      team: { id: "T0TEST", domain: "test" },
      user: { id: "U0VIEWER", team_id: "T0TEST" },
      api_app_id: "A0TEST",
      token: "legacy-verification-token",
      trigger_id: "trigger-older",
      container: { type: "message", message_ts: "1.2", channel_id: CHANNEL, is_ephemeral: true },
      channel: { id: CHANNEL, name: "ops" },
      response_url: h.slack.responseUrl("older"),
      actions: [
        {
          type: "button",
          action_id: older?.action_id,
          block_id: "b1",
          value: older?.value,
          action_ts: "1.3",
        },
      ],
    });
    expect(clicked.status).toBe(200);
    const second = await h.waitForResponse("older");
    const texts = (second.args.blocks as Array<{ text?: { text?: string } }>).map(
      (block) => block.text?.text ?? "",
    );
    // 20 events, 15 a page: the second page has the 5 oldest, the oldest last, and no further button.
    expect(texts.filter((text) => text.includes("*rotate*"))).toHaveLength(5);
    expect(texts.at(-2)).toContain("&lt;!channel&gt;");
    expect(callText(second)).not.toContain("<!channel>");
    expect(buttons(second)).toEqual([]);
  });

  it("answers a bad argument with its usage line", async () => {
    h = await startHarness();
    const asked = await h.command("history not-a-host");
    const answer = await h.waitForResponse(asked.responseUrlId);
    expect(callText(answer)).toContain("/gitpod-scm history [integration-id | host]");
  });
});
