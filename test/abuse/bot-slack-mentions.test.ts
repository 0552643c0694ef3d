/**
 * Mentions smuggled into Slack through the `text` field (the notification and fallback text, which
 * Slack also reads as mrkdwn): an SCM host named `<!channel>` from the API in a /list reply, and a
 * validate reply, a rotation reply and the audit channel's post. Driven over signed HTTP against the bot.
 */
import { describe, expect, it } from "vitest";
import { ADMIN, AUDIT_CHANNEL, openedViewId, useHarness } from "../bot/harness.js";
import { GITHUB_OAUTH_CLIENT_ID, GITHUB_OAUTH_SECRET, RUNNER_EU_ID } from "../emulator/index.js";
import type { RecordedCall } from "../fakes/slack-api.js";

/** Every `text` field of a Slack call, at any depth (top-level text, section text, context elements). */
function textFields(call: RecordedCall): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) {
        if (key === "text" && typeof inner === "string") found.push(inner);
        else walk(inner);
      }
    }
  };
  walk(call.args);
  return found;
}

/** Broadcast mentions (our own `<@U…>` user mentions are intended). */
const RAW_MENTION = /<!(channel|here|everyone)>|<!subteam/;

describe("Slack text fields never carry a mention from foreign text", () => {
  const h = useHarness();

  it("a host named <!channel> in a list reply", async () => {
    h.emu.state.seedScmIntegration({
      runnerId: RUNNER_EU_ID,
      scmId: "github",
      host: "<!channel>",
      pat: true,
    });
    const sent = await h.command("list");
    const reply = await h.waitForResponse(sent.responseUrlId);
    const texts = textFields(reply);
    expect(texts.join("\n")).toContain("&lt;!channel&gt;");
    for (const text of texts) expect(text).not.toMatch(RAW_MENTION);
  });

  it("a host named <!channel> in a validate reply (by id)", async () => {
    const integration = h.emu.state.seedScmIntegration({
      runnerId: RUNNER_EU_ID,
      scmId: "github",
      host: "<!channel>",
      pat: true,
    });
    const sent = await h.command(`validate ${integration.id}`);
    const reply = await h.waitForResponse(sent.responseUrlId);
    expect(String(reply.args.text)).toContain("&lt;!channel&gt;");
    for (const text of textFields(reply)) expect(text).not.toMatch(RAW_MENTION);
  });

  it("a host named <!channel> in the audit channel's post and the rotation reply", async () => {
    const integration = h.emu.state.seedScmIntegration({
      runnerId: RUNNER_EU_ID,
      scmId: "github",
      host: "<!channel>",
      oauthClientId: GITHUB_OAUTH_CLIENT_ID,
      oauthClientSecret: GITHUB_OAUTH_SECRET,
      pat: true,
    });
    const ack = await h.command(`rotate ${integration.id}`, { user: ADMIN });
    const open = await h.slack.waitFor(
      (call) =>
        call.method === "views.open" && call.args.trigger_id === `trigger-${ack.responseUrlId.slice(1)}`,
    );
    const viewId = openedViewId(open) ?? "";
    await h.slack.waitFor((call) => call.method === "views.update" && call.args.view_id === viewId);
    await h.submitRotation(viewId, "a-wrong-new-secret-123");
    const audit = await h.slack.waitFor(
      (call) => call.method === "chat.postMessage" && call.args.channel === AUDIT_CHANNEL,
    );
    expect(String(audit.args.text)).toContain("&lt;!channel&gt;");
    await h.waitForResponse(ack.responseUrlId);
    const replies = h.responses(ack.responseUrlId);
    for (const call of [audit, ...replies]) {
      for (const text of textFields(call)) expect(text).not.toMatch(RAW_MENTION);
    }
  });
});
