/**
 * The App Home, driven by signed Events API requests (`app_home_opened`) and button clicks in the
 * Home against the fake Slack Web API (views.publish, users.info): what an admin, an approver, a
 * viewer and a guest see; the same Approve buttons as the approval DMs, pressed in the Home;
 * Refresh; the Home redrawn after a rotation; 300 integrations within Slack's limits.
 */
import { describe, expect, it } from "vitest";
import {
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  RUNNER_US_ID,
} from "../emulator/index.js";
import { seedGitHubIntegration } from "../support/fixtures.js";
import { ADMIN, AUDIT_CHANNEL, type Harness, openedViewId, useHarness } from "./harness.js";
import { appHomeOpened, homeButtonClick } from "./slack-payloads.js";

const BOB = "U0BOB";
const VIEWER = "U0VIEWER";
const GUEST = "U0GUEST";
const CANARY = "canary-home-oauth-secret-9d8c7b";
const LLM_CANARY = "llm-canary-home-key-6a1f0e";
/** Mrkdwn that would ping the channel if it were not escaped. */
const REASON = "shown in a demo <!channel> *now*";
const ESCAPED_REASON = "shown in a demo &lt;!channel&gt; *now*";
const DAY_MS = 86_400_000;

interface Block {
  type: string;
  text?: { type: string; text: string };
  elements?: Array<{ type: string; text?: string | { text: string }; action_id?: string; value?: string }>;
}

interface HomeView {
  type: string;
  blocks: Block[];
}

let clicks = 0;

/** Opens `user`'s Home tab and resolves with the view the bot published for it. */
async function openHome(h: Harness, user: string): Promise<HomeView> {
  const from = h.slack.calls.length;
  const ack = await h.event(appHomeOpened(user));
  expect(ack.status).toBe(200);
  return nextHome(h, user, from);
}

/** The first Home published for `user` after the call at index `from`. */
async function nextHome(h: Harness, user: string, from: number, timeoutMs?: number): Promise<HomeView> {
  const call = await h.slack.waitFor(
    (candidate) =>
      candidate.method === "views.publish" &&
      candidate.args.user_id === user &&
      h.slack.calls.indexOf(candidate) >= from,
    timeoutMs,
  );
  return call.args.view as HomeView;
}

/** Presses a button in `user`'s Home (no response_url: answers show in the Home). */
async function pressInHome(h: Harness, user: string, actionId: string, value: string) {
  const from = h.slack.calls.length;
  const result = await h.interact(
    homeButtonClick({ user, actionId, value, triggerId: `trigger-home-${++clicks}` }),
  );
  expect(result.status).toBe(200);
  return from;
}

function text(view: HomeView): string {
  return JSON.stringify(view);
}

function buttons(view: HomeView): Array<{ action: string; value: string }> {
  return view.blocks
    .filter((block) => block.type === "actions")
    .flatMap((block) => block.elements ?? [])
    .map((element) => ({ action: element.action_id ?? "", value: element.value ?? "" }));
}

/** Slack's limits for a Home view: 100 blocks, 3000 per section text, 150 per header, 10 context elements. */
function expectWithinSlackLimits(view: HomeView): void {
  expect(view.type).toBe("home");
  expect(view.blocks.length).toBeLessThanOrEqual(100);
  for (const block of view.blocks) {
    if (block.type === "section") expect(block.text?.text.length).toBeLessThanOrEqual(3000);
    if (block.type === "header") expect(block.text?.text.length).toBeLessThanOrEqual(150);
    if (block.type === "context") {
      expect(block.elements?.length).toBeLessThanOrEqual(10);
      for (const element of block.elements ?? [])
        expect(String(element.text ?? "").length).toBeLessThanOrEqual(3000);
    }
    if (block.type === "actions") {
      expect(block.elements?.length).toBeLessThanOrEqual(25);
      for (const element of block.elements ?? []) {
        expect((element.text as { text: string }).text.length).toBeLessThanOrEqual(75);
        expect((element.value ?? "").length).toBeLessThanOrEqual(2000);
        expect((element.action_id ?? "").length).toBeLessThanOrEqual(255);
      }
    }
  }
}

/** Every `<` in the view's texts opens a user mention or a channel link: foreign text is escaped. */
function expectEscaped(view: HomeView): void {
  const texts = view.blocks.flatMap((block) => [
    block.text?.text ?? "",
    ...(block.elements ?? []).map((element) => (typeof element.text === "string" ? element.text : "")),
  ]);
  for (const one of texts) expect(one).not.toMatch(/<(?!@[UW][A-Z0-9]+>|#C[A-Z0-9]+>)/);
}

/** github.com (secret stored, PATs on) with an expired user token, a service account's expiring one, a fine one; gitlab.com never validated. */
function seedWorkspace(h: Harness) {
  const github = seedGitHubIntegration(h.emu.state);
  h.emu.state.seedHostToken({
    runnerId: RUNNER_EU_ID,
    host: "github.com",
    integrationId: github.id,
    subject: { id: "user-7", principal: "PRINCIPAL_USER" },
    userId: "user-7",
    expiresAt: "2020-01-01T00:00:00Z",
  });
  h.emu.state.seedHostToken({
    runnerId: RUNNER_EU_ID,
    host: "github.com",
    integrationId: github.id,
    subject: { id: "sa-ci", principal: "PRINCIPAL_SERVICE_ACCOUNT" },
    expiresAt: new Date(Date.now() + 3 * DAY_MS),
  });
  h.emu.state.seedHostToken({
    runnerId: RUNNER_EU_ID,
    host: "github.com",
    integrationId: github.id,
    userId: "user-8",
    expiresAt: new Date(Date.now() + 100 * DAY_MS),
  });
  h.emu.state.seedScmIntegration({
    runnerId: RUNNER_US_ID,
    scmId: "gitlab",
    host: "gitlab.com",
    oauthClientId: "gitlab-client",
    oauthClientSecret: CANARY,
  });
  return github;
}

/** `rotate github.com` under approval as ADMIN with `reason`; resolves with the approval's id. */
async function askToRotate(h: Harness, reason: string): Promise<string> {
  const { viewId } = await h.openModal("rotate github.com");
  expect((await h.submitText(viewId, { reason })).status).toBe(200);
  await h.slack.waitFor(
    (call) =>
      call.method === "chat.postMessage" &&
      call.args.channel === AUDIT_CHANNEL &&
      JSON.stringify(call.args).includes("Approval needed"),
  );
  const requested = (await h.store.history({ host: "github.com", limit: 20 })).find(
    (event) => event.outcome === "requested",
  );
  return requested?.approvalId ?? "";
}

describe("the App Home", () => {
  describe("with four-eyes approval and view channels", () => {
    const h = useHarness({
      env: {
        SLACK_ROTATE_USER_IDS: `${ADMIN},${GUEST}`,
        SLACK_ROTATE_APPROVALS_REQUIRED: "1",
        SLACK_ROTATE_APPROVERS: BOB,
        SLACK_VIEW_CHANNEL_IDS: "C0OPS",
      },
      guests: [GUEST],
    });

    it("an admin sees each integration's health, their pending request and the history; an approver decides from the Home", async () => {
      seedWorkspace(h);
      const validated = await h.command("validate github.com");
      await h.waitForResponse(validated.responseUrlId, (said) => said.includes("valid"));
      const approvalId = await askToRotate(h, REASON);

      const admin = await openHome(h, ADMIN);
      expectWithinSlackLimits(admin);
      expectEscaped(admin);
      const seen = text(admin);
      // Per runner, every integration with its OAuth secret's health.
      expect(seen).toContain(
        `Runner *aws-eu (${RUNNER_EU_ID})*: 1 integration · *1 needs attention* · 1 host token expired`,
      );
      expect(seen).toContain(`Runner *aws-us (${RUNNER_US_ID})*: 1 integration · *1 needs attention*`);
      expect(seen).toContain("*github.com* · github · runner *aws-eu (");
      expect(seen).toMatch(/last validated \d{4}-\d\d-\d\d \d\d:\d\d UTC by <@U0ADMIN>: \*valid\*/);
      expect(seen).toContain("PAT on");
      expect(seen).toContain("*gitlab.com* · gitlab · runner *aws-us (");
      expect(seen).toContain("never validated through the bot");
      // Host tokens: the expired one and the one expiring within the window, and who must act.
      expect(seen).toContain("Host tokens: *1 expired*, 1 expiring within 14 days (of 3)");
      expect(seen).toContain("user `user-7` must sign in to github.com again");
      expect(seen).toContain("service account `sa-ci`: `/gitpod-scm rotate-token github.com sa-ci`");
      // Their own pending request (reason escaped), without buttons: they cannot decide it.
      expect(seen).toContain("Your pending requests* (1)");
      expect(seen).toContain(ESCAPED_REASON);
      expect(seen).not.toContain("<!channel>");
      expect(seen).not.toContain("Waiting for your decision");
      expect(buttons(admin)).toEqual([{ action: "home_refresh", value: "refresh" }]);
      // The latest history.
      expect(seen).toContain("*Latest history*");
      expect(seen).toContain("*validate* by <@U0ADMIN>: *valid*");
      expect(h.slack.everything()).not.toContain(CANARY);

      // The approver: the request with the approval DMs' buttons, and the health (they may approve).
      const bob = await openHome(h, BOB);
      expectWithinSlackLimits(bob);
      expect(text(bob)).toContain("Waiting for your decision* (1)");
      expect(text(bob)).toContain(ESCAPED_REASON);
      expect(text(bob)).toContain("*github.com* · github");
      expect(buttons(bob)).toEqual([
        { action: "home_refresh", value: "refresh" },
        { action: "approval_approve", value: approvalId },
        { action: "approval_deny", value: approvalId },
      ]);

      // Approve pressed in the Home: recorded by the same listener, both Homes redrawn.
      const from = await pressInHome(h, BOB, "approval_approve", approvalId);
      const after = await nextHome(h, BOB, from);
      expect(text(after)).toContain("Recorded, thank you.");
      expect(text(after)).toContain("Waiting for your decision* (0)");
      expect((await h.store.getApproval(approvalId))?.status).toBe("approved");
      const requester = await nextHome(h, ADMIN, from);
      expect(text(requester)).not.toContain("Your pending requests");
      expect(text(requester)).toContain("*approval* by <@U0BOB>: *approved*");

      // A second press is refused in the Home, in words.
      const again = await pressInHome(h, BOB, "approval_approve", approvalId);
      expect(text(await nextHome(h, BOB, again))).toContain("This request was already decided.");
    });

    it("Deny pressed in the Home asks why in a modal; once submitted both Homes are redrawn", async () => {
      seedWorkspace(h);
      const approvalId = await askToRotate(h, "routine");
      const from = await pressInHome(h, BOB, "approval_deny", approvalId);
      const opened = await h.slack.waitFor(
        (call) => call.method === "views.open" && h.slack.calls.indexOf(call) >= from,
      );
      expect((opened.args.view as { callback_id?: string }).callback_id).toBe("approval_deny_submit");
      const submitted = h.slack.calls.length;
      const viewId = openedViewId(opened) ?? "";
      expect((await h.submitText(viewId, { reason: "not during the freeze" }, { user: BOB })).status).toBe(
        200,
      );
      const bob = await nextHome(h, BOB, submitted);
      expect(text(bob)).toContain("Waiting for your decision* (0)");
      expect(text(bob)).toContain("*approval* by <@U0BOB>: *denied*");
      const admin = await nextHome(h, ADMIN, submitted);
      expect(text(admin)).not.toContain("Your pending requests");
      expect((await h.store.getApproval(approvalId))?.status).toBe("denied");
    });

    it("a viewer sees no health where view channels are configured, and a guest none even when allowed to rotate", async () => {
      seedWorkspace(h);
      const viewer = await openHome(h, VIEWER);
      expectWithinSlackLimits(viewer);
      expect(text(viewer)).toContain("shown here to the people who may rotate or approve");
      expect(text(viewer)).toContain("<#C0OPS>");
      expect(text(viewer)).not.toContain("github.com");
      expect(text(viewer)).not.toContain("Latest history");

      const guest = await openHome(h, GUEST);
      expect(h.slack.callsTo("users.info").map((call) => call.args.user)).toContain(GUEST);
      expect(text(guest)).toContain("Guests of the workspace see no credential health here.");
      expect(text(guest)).not.toContain("github.com");
      expect(text(guest)).not.toContain("Latest history");
      expect(h.emu.requests.count("ListSCMIntegrations")).toBe(0);
    });

    it("Refresh reads again: a validation made since shows", async () => {
      seedWorkspace(h);
      const first = await openHome(h, ADMIN);
      expect(text(first)).not.toContain("*validate* by");
      const validated = await h.command("validate github.com");
      await h.waitForResponse(validated.responseUrlId, (said) => said.includes("valid"));
      const from = await pressInHome(h, ADMIN, "home_refresh", "refresh");
      const refreshed = await nextHome(h, ADMIN, from);
      expect(text(refreshed)).toMatch(/last validated .* by <@U0ADMIN>: \*valid\*/);
      expect(text(refreshed)).toContain("*validate* by <@U0ADMIN>: *valid*");
    });

    it("opening the Messages tab publishes nothing", async () => {
      await h.event(appHomeOpened(ADMIN, "messages"));
      const home = await openHome(h, ADMIN);
      expect(home.type).toBe("home");
      expect(h.slack.callsTo("views.publish")).toHaveLength(1);
    });
  });

  describe("without view channels", () => {
    const h = useHarness({ guests: [GUEST] });

    it("everyone but guests sees the health; someone Slack cannot tell about counts as a guest", async () => {
      seedWorkspace(h);
      const viewer = await openHome(h, VIEWER);
      expect(text(viewer)).toContain("*github.com* · github");
      expect(text(viewer)).toContain("*gitlab.com* · gitlab");
      const guest = await openHome(h, GUEST);
      expect(text(guest)).not.toContain("github.com");
      expect(text(guest)).toContain("Guests of the workspace");
      h.slack.on("users.info", () => ({ ok: false, error: "user_not_found" }));
      const unknown = await openHome(h, "U0UNKNOWN");
      expect(text(unknown)).not.toContain("github.com");
      expect(text(unknown)).toContain("Guests of the workspace");
    });

    it("shows the managed runners' LLM integrations with their phase, escaped, and how to rotate a key; never a key", async () => {
      seedWorkspace(h);
      const unavailable = h.emu.state.seedLlmIntegration({
        runnerId: RUNNER_EU_ID,
        endpoint: "https://api.anthropic.example/v1",
        apiKey: LLM_CANARY,
      });
      h.emu.state.setLlmIntegrationPhase(unavailable.id, "LLM_INTEGRATION_PHASE_UNAVAILABLE", REASON);
      h.emu.state.seedLlmIntegration({
        runnerId: RUNNER_US_ID,
        endpoint: "https://llm.off.example",
        apiKey: LLM_CANARY,
        phase: "LLM_INTEGRATION_PHASE_DISABLED",
      });
      const home = await openHome(h, VIEWER);
      expectWithinSlackLimits(home);
      const shown = text(home);
      expect(shown).toContain("*LLM integrations* (2)");
      expect(shown).toContain(
        `:red_circle: LLM *api.anthropic.example* · UNAVAILABLE (${ESCAPED_REASON}) · 1 model · ID \`${unavailable.id}\``,
      );
      expect(shown).toMatch(/LLM \*llm\.off\.example\* · DISABLED/);
      expect(shown).toContain("rotate-llm &lt;endpoint-host | llm-integration-id&gt; [runner]");
      expect(shown).not.toContain("<!channel>");
      expect([h.slack.everything(), h.logs.join("\n")].join("\n")).not.toContain(LLM_CANARY);
    });

    it("when the LLM integrations cannot be read, their part says so and the SCM integrations are still shown", async () => {
      seedWorkspace(h);
      h.emu.faults.add({ kind: "status", status: 503, rpc: "ListLLMIntegrations", times: 10 });
      const failing = await openHome(h, ADMIN);
      expect(text(failing)).toContain(":warning: The LLM integrations could not be read:");
      expect(text(failing)).toContain("*github.com* · github");
    });

    it("when Gitpod cannot be read, the Home says so and still shows the history", async () => {
      seedWorkspace(h);
      const validated = await h.command("validate github.com");
      await h.waitForResponse(validated.responseUrlId, (said) => said.includes("valid"));
      h.emu.faults.add({ kind: "status", status: 503, rpc: "ListSCMIntegrations", times: 10 });
      const home = await openHome(h, VIEWER);
      expectWithinSlackLimits(home);
      expect(text(home)).toContain(":warning: Gitpod could not be read:");
      expect(text(home)).toContain("The integrations are unknown, not gone");
      expect(text(home)).not.toContain("No SCM integrations");
      expect(text(home)).toContain("*validate* by <@U0ADMIN>: *valid*");
    });

    it("after a rotation the rotating person's Home shows it, validated", async () => {
      seedGitHubIntegration(h.emu.state);
      h.emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [GITHUB_OAUTH_SECRET, CANARY]);
      const before = await openHome(h, ADMIN);
      expect(text(before)).toContain("never validated through the bot");
      const { viewId } = await h.openModal("rotate github.com");
      const from = h.slack.calls.length;
      expect((await h.submitRotation(viewId, CANARY)).status).toBe(200);
      const after = await nextHome(h, ADMIN, from, 15_000);
      expect(text(after)).toMatch(/last validated by a rotation .* by <@U0ADMIN>: \*valid\*/);
      expect(text(after)).toContain("*rotate* by <@U0ADMIN>: *rotated*");
      expect(h.slack.everything()).not.toContain(CANARY);
      expect(h.logs.join("\n")).not.toContain(CANARY);
    });

    it("300 integrations: within Slack's limits, those needing attention first, the rest counted with a pointer to list", async () => {
      const expiredHosts: string[] = [];
      for (let index = 0; index < 300; index++) {
        const runnerId = index % 2 === 0 ? RUNNER_EU_ID : RUNNER_US_ID;
        const host = `ghe-${String(index).padStart(3, "0")}.${"long-subdomain-".repeat(4)}example.com`;
        const integration = h.emu.state.seedScmIntegration({
          runnerId,
          scmId: "github",
          host,
          ...(index % 3 === 0 ? { oauthClientId: `client-${index}`, oauthClientSecret: CANARY } : {}),
        });
        if (index % 60 === 7) {
          expiredHosts.push(host);
          for (let n = 0; n < 8; n++)
            h.emu.state.seedHostToken({
              runnerId,
              host,
              integrationId: integration.id,
              userId: `user-${index}-${n}`,
              expiresAt: "2020-01-01T00:00:00Z",
            });
        }
      }
      // Two people at once share one read of Gitpod.
      const [admin, viewer] = await Promise.all([openHome(h, ADMIN), openHome(h, VIEWER)]);
      const pages = h.emu.requests.count("ListSCMIntegrations");
      expect(pages).toBeLessThanOrEqual(4);
      for (const view of [admin, viewer]) {
        expectWithinSlackLimits(view);
        expectEscaped(view);
        const seen = text(view);
        expect(seen).toMatch(/Showing \d+ of 300 integrations, those needing attention first/);
        expect(seen).toContain("`/gitpod-scm list`, or `/gitpod-scm list &lt;runner-id | host&gt;`");
        for (const host of expiredHosts) expect(seen).toContain(host);
        expect(seen).toContain(`Runner *aws-eu (${RUNNER_EU_ID})*: 150 integrations`);
        expect(seen).toContain(
          `Runner *aws-us (${RUNNER_US_ID})*: 150 integrations · *55 need attention* · 40 host tokens expired`,
        );
      }
      expect(text(admin)).toContain("and 5 more: `/gitpod-scm list ghe-007");
      await openHome(h, ADMIN);
      expect(h.emu.requests.count("ListSCMIntegrations")).toBe(pages);
      expect(h.slack.everything()).not.toContain(CANARY);
    });
  });
});
