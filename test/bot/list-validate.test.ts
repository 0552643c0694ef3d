import { describe, expect, it } from "vitest";
import {
  GITHUB_OAUTH_CLIENT_ID,
  GITLAB_OAUTH_CLIENT_ID,
  GITLAB_OAUTH_SECRET,
  RUNNER_EU_ID,
  RUNNER_US_ID,
} from "../emulator/index.js";
import { seedGitHubIntegration } from "../support/fixtures.js";
import { CHANNEL, callText, useHarness } from "./harness.js";

const DAY = 86_400_000;

/** The blocks of a response_url message, as the text people read. */
function blocksText(args: Record<string, unknown>): string {
  const blocks =
    (args.blocks as Array<{ text?: { text: string }; elements?: Array<{ text: string }> }>) ?? [];
  return blocks
    .map((block) => block.text?.text ?? block.elements?.map((element) => element.text).join(" ") ?? "")
    .join("\n");
}

describe("list", () => {
  const h = useHarness();

  it("lists the managed runners' integrations with token counts and the nearest expiry", async () => {
    const github = seedGitHubIntegration(h.emu.state);
    h.emu.state.seedScmIntegration({
      runnerId: RUNNER_US_ID,
      scmId: "gitlab",
      host: "gitlab.com",
      pat: true,
    });
    const soon = new Date(Date.now() + 3 * DAY);
    h.emu.state.seedHostToken({
      runnerId: RUNNER_EU_ID,
      host: "github.com",
      expiresAt: soon,
      integrationId: github.id,
    });
    h.emu.state.seedHostToken({
      runnerId: RUNNER_EU_ID,
      host: "github.com",
      expiresAt: new Date(Date.now() + 30 * DAY),
    });
    h.emu.state.seedHostToken({
      runnerId: RUNNER_EU_ID,
      host: "github.com",
      expiresAt: new Date(Date.now() - DAY),
    });

    const ack = await h.command("list");
    expect(ack.status).toBe(200);
    const response = await h.waitForResponse(ack.responseUrlId);
    const text = blocksText(response.args);
    expect(response.args.response_type).toBe("ephemeral");
    expect(text).toContain("*github.com* · github");
    expect(text).toContain(`OAuth client \`${GITHUB_OAUTH_CLIENT_ID}\` · secret stored · PAT on`);
    expect(text).toContain(`Host tokens: 3 · next expiry ${soon.toISOString().slice(0, 10)} (in `);
    expect(text).toContain("1 expired");
    expect(text).toContain("*gitlab.com* · gitlab");
    expect(text).toContain("OAuth: off · PAT on");
    expect(text).toContain(`aws-eu (${RUNNER_EU_ID})`);
  });

  it("breaks an integration's tokens down by source and owner, and says who must act on expired ones", async () => {
    const github = h.emu.state.seedScmIntegration({
      runnerId: RUNNER_EU_ID,
      scmId: "github",
      host: "github.com",
      pat: true,
    });
    const canary = "canary-listed-sa-token-51e0";
    const user = "f53d2330-3795-4c5d-a1f3-453121af9c60";
    const serviceAccount = "7d1e6f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6";
    const common = { runnerId: RUNNER_EU_ID, host: "github.com", integrationId: github.id };
    h.emu.state.seedHostToken({
      ...common,
      source: "HOST_AUTHENTICATION_TOKEN_SOURCE_OAUTH",
      userId: user,
      expiresAt: new Date(Date.now() - DAY),
    });
    h.emu.state.seedHostToken({
      ...common,
      source: "HOST_AUTHENTICATION_TOKEN_SOURCE_OAUTH",
      userId: "0b7c1c9e-3c1d-4a5e-9f00-777777777777",
      expiresAt: new Date(Date.now() + 10 * DAY),
    });
    h.emu.state.seedHostToken({
      ...common,
      source: "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT",
      subject: { id: serviceAccount, principal: "PRINCIPAL_SERVICE_ACCOUNT" },
      token: canary,
      expiresAt: new Date(Date.now() - 2 * DAY),
    });

    const ack = await h.command("list");
    const response = await h.waitForResponse(ack.responseUrlId);
    const text = blocksText(response.args);
    expect(text).toContain(
      "Host tokens: 3 · next expiry", // then the date in words
    );
    expect(text).toContain("2 expired (1 user must sign in again, 1 service account's token needs rotating)");
    expect(text).toContain("By source: 2 OAuth, 1 PAT · by owner: 2 users, 1 service account");
    expect(JSON.stringify(h.slack.calls)).not.toContain(canary);
  });

  it("narrows to one host or one runner, and refuses an unmanaged runner", async () => {
    h.emu.state.seedScmIntegration({ runnerId: RUNNER_EU_ID, scmId: "github", host: "github.com" });
    h.emu.state.seedScmIntegration({ runnerId: RUNNER_US_ID, scmId: "gitlab", host: "gitlab.com" });
    const byHost = await h.command("list GitLab.com");
    const hostText = blocksText((await h.waitForResponse(byHost.responseUrlId)).args);
    expect(hostText).toContain("gitlab.com");
    expect(hostText).not.toContain("github.com");

    const byRunner = await h.command(`list ${RUNNER_EU_ID}`);
    const runnerText = blocksText((await h.waitForResponse(byRunner.responseUrlId)).args);
    expect(runnerText).toContain("github.com");
    expect(runnerText).not.toContain("gitlab.com");

    const other = await h.command("list 11111111-2222-4333-8444-555555555555");
    expect(callText(await h.waitForResponse(other.responseUrlId))).toContain(
      "is not a runner this bot manages",
    );
  });

  it("walks every page past 100 integrations and splits the answer, cutting nothing", async () => {
    const ids: string[] = [];
    for (let index = 0; index < 250; index += 1) {
      const runnerId = index % 2 === 0 ? RUNNER_EU_ID : RUNNER_US_ID;
      ids.push(
        h.emu.state.seedScmIntegration({ runnerId, scmId: "github", host: `ghe${index}.example.com` }).id,
      );
    }
    const ack = await h.command("list");
    // The last part says "Part n of n"; a response_url takes five messages, the rest go ephemeral.
    const last = await h.slack.waitFor((call) => /Part (\d+) of \1"/.test(callText(call)));
    expect(last.method).toBe("chat.postEphemeral");
    expect(last.args).toMatchObject({ channel: CHANNEL, user: "U0ADMIN" });
    const viaResponseUrl = h.responses(ack.responseUrlId);
    expect(viaResponseUrl).toHaveLength(5);
    const parts = [...viaResponseUrl, ...h.slack.callsTo("chat.postEphemeral")];
    expect(parts.length).toBe(6);
    for (const part of parts) {
      const blocks = part.args.blocks as Array<{ text?: { text: string } }>;
      expect(blocks.length).toBeLessThanOrEqual(50);
      for (const block of blocks) expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
    }
    const all = parts.map((part) => blocksText(part.args)).join("\n");
    for (const id of ids) expect(all).toContain(id);
    expect(h.emu.requests.count("ListSCMIntegrations")).toBe(3);
  });

  it("shows an API outage as a friendly message", async () => {
    h.emu.faults.add({ kind: "status", status: 503, rpc: "ListSCMIntegrations", times: 10 });
    const ack = await h.command("list");
    expect(ack.status).toBe(200);
    const response = await h.waitForResponse(ack.responseUrlId);
    expect(response.args.text).toMatch(
      /^Could not list the SCM integrations: The Gitpod API is unavailable right now/,
    );
  });

  it("acks before the Gitpod API answers", async () => {
    h.emu.faults.add({ kind: "latency", latencyMs: 500 });
    h.emu.state.seedScmIntegration({ runnerId: RUNNER_EU_ID, scmId: "github", host: "github.com" });
    const ack = await h.command("list");
    expect(ack.status).toBe(200);
    expect(ack.ackMs).toBeLessThan(400);
    expect(h.responses(ack.responseUrlId)).toHaveLength(0);
    await h.waitForResponse(ack.responseUrlId);
  });
});

describe("validate", () => {
  const h = useHarness({ gitpodTimeoutMs: 300, gitpodMaxRetries: 0 });

  it("says valid for a working stored secret, and which part is wrong for a revoked one", async () => {
    const github = seedGitHubIntegration(h.emu.state, { pat: false });
    h.emu.state.seedScmIntegration({
      runnerId: RUNNER_EU_ID,
      scmId: "gitlab",
      host: "gitlab.com",
      oauthClientId: GITLAB_OAUTH_CLIENT_ID,
      oauthClientSecret: GITLAB_OAUTH_SECRET,
    });
    h.emu.state.setOAuthAppSecrets("gitlab.com", GITLAB_OAUTH_CLIENT_ID, ["a-newer-secret"]);

    const valid = await h.command(`validate ${github.id}`);
    expect(callText(await h.waitForResponse(valid.responseUrlId))).toContain(
      "the stored credentials are valid",
    );

    const revoked = await h.command("validate gitlab.com");
    const text = blocksText((await h.waitForResponse(revoked.responseUrlId)).args);
    expect(text).toContain("the stored credentials are *not valid*");
    expect(text).toContain("*OAuth client id and secret*:");

    const body = h.emu.requests.entries.find((entry) => entry.rpc === "ValidateRunnerConfiguration")
      ?.body as {
      scmIntegration?: Record<string, unknown>;
    };
    expect(body.scmIntegration?.oauthEncryptedClientSecret).toBeTruthy();
    expect(body.scmIntegration?.oauthPlaintextClientSecret).toBeUndefined();
  });

  it("offers a choice when a host matches several integrations, and validates the one chosen", async () => {
    h.emu.state.seedScmIntegration({ runnerId: RUNNER_EU_ID, scmId: "github", host: "github.com" });
    const us = h.emu.state.seedScmIntegration({
      runnerId: RUNNER_US_ID,
      scmId: "github",
      host: "github.com",
    });
    const ack = await h.command("validate github.com");
    const choice = await h.waitForResponse(ack.responseUrlId);
    expect(choice.args.text).toBe("github.com matches 2 integrations: choose one.");
    const buttons = (choice.args.blocks as Array<{ accessory?: { action_id: string; value: string } }>)
      .map((block) => block.accessory)
      .filter((accessory) => accessory !== undefined);
    expect(buttons.map((button) => button.value).sort()).toEqual(
      [us.id, h.emu.state.findScmIntegrationByHost(RUNNER_EU_ID, "github.com")?.id].sort(),
    );
    expect(h.emu.requests.count("ValidateRunnerConfiguration")).toBe(0);

    const button = buttons.find((candidate) => candidate.value === us.id);
    const clicked = await h.interact({
      type: "block_actions",
      team: { id: "T0TEST", domain: "test" },
      user: { id: "U0VIEWER", team_id: "T0TEST" },
      api_app_id: "A0TEST",
      token: "legacy-verification-token",
      trigger_id: "trigger-click",
      container: { type: "message", message_ts: "1.2", channel_id: CHANNEL, is_ephemeral: true },
      channel: { id: CHANNEL, name: "ops" },
      response_url: h.slack.responseUrl("click"),
      actions: [
        { type: "button", action_id: button?.action_id, block_id: "b1", value: us.id, action_ts: "1.3" },
      ],
    });
    expect(clicked.status).toBe(200);
    const result = await h.waitForResponse("click");
    expect(callText(result)).toContain(us.id);
    expect(h.emu.requests.count("ValidateRunnerConfiguration")).toBe(1);
  });

  it("reports a timeout and an unknown id in words", async () => {
    const github = h.emu.state.seedScmIntegration({
      runnerId: RUNNER_EU_ID,
      scmId: "github",
      host: "github.com",
    });
    h.emu.faults.add({ kind: "hang", rpc: "GetSCMIntegration", times: 1 });
    const slow = await h.command(`validate ${github.id}`);
    expect((await h.waitForResponse(slow.responseUrlId)).args.text).toMatch(
      /^Could not validate the integration: The Gitpod API did not answer in time/,
    );
    const missing = await h.command("validate 11111111-2222-4333-8444-555555555555");
    expect(callText(await h.waitForResponse(missing.responseUrlId))).toContain(
      "No SCM integration has this id.",
    );
  });
});

describe("help, usage and channels", () => {
  const h = useHarness({ env: { SLACK_VIEW_CHANNEL_IDS: CHANNEL } });

  it("answers help, a missing argument and an unknown subcommand with usage", async () => {
    const help = await h.command("");
    expect(callText(await h.waitForResponse(help.responseUrlId))).toContain(
      "/gitpod-scm rotate &lt;integration-id | host&gt;",
    );
    const missing = await h.command("validate");
    const missingText = callText(await h.waitForResponse(missing.responseUrlId));
    expect(missingText).toContain("Usage: `/gitpod-scm validate &lt;integration-id | host&gt;`");
    expect(missingText).not.toContain("rotate");
    const unknown = await h.command("frobnicate");
    expect(callText(await h.waitForResponse(unknown.responseUrlId))).toContain(
      'unknown command \\"frobnicate\\"',
    );
    expect(h.emu.requests.count()).toBe(0);
  });

  it("limits viewing to the configured channels", async () => {
    h.emu.state.seedScmIntegration({ runnerId: RUNNER_EU_ID, scmId: "github", host: "github.com" });
    const elsewhere = await h.command("list", { channel: "C0RANDOM" });
    expect(callText(await h.waitForResponse(elsewhere.responseUrlId))).toContain(
      "not available in this channel",
    );
    expect(h.emu.requests.count()).toBe(0);
  });
});
