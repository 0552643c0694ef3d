/**
 * The Workflow Builder steps, driven by signed `function_executed` events (Events API
 * `event_callback`) against the fake Slack Web API: each execution ends with
 * functions.completeSuccess (the outputs) or functions.completeError (why, in words), sent with the
 * execution's own token. The health step reports healthy and a summary; the request step makes the
 * four-eyes request (no secret) and the approval flow carries on with the DMs; a requester who may
 * not rotate is refused in words and audited. Opt-in: without SLACK_WORKFLOW_STEPS nothing answers.
 */
import { describe, expect, it } from "vitest";
import { healthSummary } from "../../bot/workflow-steps/check-health.js";
import type { HealthCheckReport } from "../../shared/credential-upkeep/types.js";
import { GITLAB_OAUTH_CLIENT_ID, RUNNER_US_ID } from "../emulator/index.js";
import type { RecordedCall } from "../fakes/slack-api.js";
import { seedGitHubIntegration } from "../support/fixtures.js";
import { waitUntil } from "../support/wait.js";
import { ADMIN, AUDIT_CHANNEL, BOT_TOKEN, callText, type Harness, useHarness } from "./harness.js";
import { functionExecuted } from "./slack-payloads.js";

const BOB = "U0BOB";
const MALLORY = "U0MALLORY";
/** The stored secret of an integration whose OAuth app no longer takes it. */
const CANARY = "canary-workflow-step-secret-3f2e1d";
/** The execution's token: Bolt completes with it; it is never logged or sent elsewhere. */
const EXECUTION_TOKEN = "xwfp-canary-execution-token-7a6b5c";

let executions = 0;

/** Runs the step `callbackId` with `inputs`; resolves with its completeSuccess or completeError call. */
async function runStep(
  h: Harness,
  callbackId: string,
  inputs: Record<string, unknown>,
): Promise<RecordedCall> {
  const executionId = `Fx${String(++executions).padStart(6, "0")}`;
  const ack = await h.event(
    functionExecuted({ callbackId, inputs, executionId, botAccessToken: EXECUTION_TOKEN }),
  );
  expect(ack.status).toBe(200);
  const ended = await h.slack.waitFor(
    (call) => call.method.startsWith("functions.complete") && call.args.function_execution_id === executionId,
  );
  // Completed with the execution's token, not the bot's.
  expect(ended.token).toBe(EXECUTION_TOKEN);
  return ended;
}

function outputsOf(call: RecordedCall): Record<string, unknown> {
  expect(call.method).toBe("functions.completeSuccess");
  return call.args.outputs as Record<string, unknown>;
}

function errorOf(call: RecordedCall): string {
  expect(call.method).toBe("functions.completeError");
  return String(call.args.error);
}

function expectNoLeak(h: Harness): void {
  expect(h.logs.join("\n")).not.toContain(EXECUTION_TOKEN);
  expect(h.logs.join("\n")).not.toContain(CANARY);
  expect(h.slack.everything()).not.toContain(CANARY);
  // The execution's token went only to the step's own completion.
  const webApiCalls = h.slack.calls.filter((call) => call.method !== "response_url");
  for (const call of webApiCalls.filter((candidate) => !candidate.method.startsWith("functions.")))
    expect(call.token).toBe(BOT_TOKEN);
}

describe("Workflow Builder steps", () => {
  describe("turned on, with four-eyes approval", () => {
    const h = useHarness({
      env: {
        SLACK_WORKFLOW_STEPS: "true",
        SLACK_ROTATE_APPROVALS_REQUIRED: "1",
        SLACK_ROTATE_APPROVERS: BOB,
      },
    });

    it("Check credential health: healthy while every secret validates, then a summary of what needs attention", async () => {
      const github = seedGitHubIntegration(h.emu.state);
      const healthy = outputsOf(await runStep(h, "check_credential_health", {}));
      expect(healthy).toEqual({
        healthy: true,
        summary: "Credential audit: healthy, 1 integration checked.",
      });

      // gitlab.com on aws-us stores a secret its OAuth app no longer takes.
      h.emu.state.seedScmIntegration({
        runnerId: RUNNER_US_ID,
        scmId: "gitlab",
        host: "gitlab.com",
        oauthClientId: GITLAB_OAUTH_CLIENT_ID,
        oauthClientSecret: CANARY,
      });
      const unhealthy = outputsOf(await runStep(h, "check_credential_health", {}));
      expect(unhealthy.healthy).toBe(false);
      const summary = String(unhealthy.summary);
      expect(summary.split("\n")[0]).toBe(
        "Credential audit: needs attention, 2 integrations checked (1 invalid).",
      );
      expect(summary).toContain(
        `• invalid: gitlab.com (gitlab) on aws-us (${RUNNER_US_ID}): stored credentials are not valid`,
      );
      expect(summary).not.toContain("github.com");

      // One runner by its label: only its integrations are checked.
      const eu = outputsOf(await runStep(h, "check_credential_health", { runner: "aws-eu" }));
      expect(eu).toEqual({ healthy: true, summary: "Credential audit: healthy, 1 integration checked." });
      const unknown = errorOf(await runStep(h, "check_credential_health", { runner: "aws-mars" }));
      expect(unknown).toBe(
        'No runner of this bot is called "aws-mars": give one of aws-eu, aws-us, or leave the runner empty for all.',
      );
      const pasted = errorOf(
        await runStep(h, "check_credential_health", { runner: "glpat-abcdefghij0123456789" }),
      );
      expect(pasted).toBe(
        "No runner of this bot has that name: give one of aws-eu, aws-us, or leave the runner empty for all.",
      );

      // The validations are in the history, as a `validate` would put them (the App Home's "last validated").
      const validations = (await h.store.history({ limit: 20 })).filter(
        (event) => event.action === "validate",
      );
      expect(
        validations.map((event) => [event.integrationId, event.outcome, event.actor, event.source]),
      ).toContainEqual([github.id, "valid", "workflow step", "workflow"]);
      expect(validations.some((event) => event.host === "gitlab.com" && event.outcome === "invalid")).toBe(
        true,
      );
      expectNoLeak(h);
    });

    it("Request a credential rotation: completes with the request's id, then the approvers' DMs, the vote and the requester's DM", async () => {
      const integration = seedGitHubIntegration(h.emu.state);
      const ended = await runStep(h, "request_credential_rotation", {
        integration: "github.com",
        requester: ADMIN,
        reason: "quarterly rotation <!channel>",
      });
      const requestId = String(outputsOf(ended).request_id);
      const approval = await h.store.getApproval(requestId);
      expect(approval).toMatchObject({
        status: "pending",
        requester: ADMIN,
        integrationId: integration.id,
        reason: "quarterly rotation <!channel>",
        channelId: "",
      });

      // The usual flow: the request in the audit channel and with the approver by DM (reason escaped).
      const request = await h.slack.waitFor(
        (call) =>
          call.method === "chat.postMessage" &&
          call.args.channel === AUDIT_CHANNEL &&
          callText(call).includes("Approval needed"),
      );
      expect(callText(request)).toContain("quarterly rotation &lt;!channel&gt;");
      const dm = await h.slack.waitFor(
        (call) => call.method === "chat.postMessage" && call.args.channel === `D${BOB}`,
      );
      expect(callText(dm)).toContain("approval_approve");

      // Bob approves from his DM; the requester is told by DM, with the button to the secret form.
      await h.click({ user: BOB, channel: `D${BOB}`, actionId: "approval_approve", value: requestId });
      const told = await h.slack.waitFor(
        (call) => call.method === "chat.postMessage" && call.args.channel === `D${ADMIN}`,
      );
      expect(callText(told)).toContain(`was approved by <@${BOB}>`);
      expect(callText(told)).toContain("approval_open_form");
      expect((await h.store.getApproval(requestId))?.status).toBe("approved");
      // Asked in no channel: no ephemeral notice is attempted anywhere.
      expect(h.slack.callsTo("chat.postEphemeral")).toEqual([]);
      expectNoLeak(h);
    });

    it("refuses in words, and audits, a requester who may not rotate; refuses inputs it cannot use", async () => {
      seedGitHubIntegration(h.emu.state);
      const refused = errorOf(
        await runStep(h, "request_credential_rotation", {
          integration: "github.com",
          requester: MALLORY,
          reason: "please",
        }),
      );
      expect(refused).toBe(
        `${MALLORY} may not rotate credentials: not one of the users allowed to rotate credentials. Nothing was requested.`,
      );
      const audited = await h.slack.waitFor(
        (call) =>
          call.method === "chat.postMessage" &&
          call.args.channel === AUDIT_CHANNEL &&
          callText(call).includes("unauthorized"),
      );
      expect(callText(audited)).toContain("Workflow Builder step");
      expect(await h.store.pendingApprovals(Date.now(), 10)).toEqual([]);

      // A secret where the integration belongs is refused without being repeated.
      const secret = errorOf(
        await runStep(h, "request_credential_rotation", {
          integration: "ghp_0123456789abcdefghijABCDEFGHIJ012345",
          requester: ADMIN,
          reason: "rotate",
        }),
      );
      expect(secret).toContain("looks like a secret: if it is one, revoke it");
      expect(secret).not.toContain("ghp_");
      // Audited as a secret typed into `rotate` is.
      const secretAudited = await h.slack.waitFor(
        (call) =>
          call.method === "chat.postMessage" &&
          call.args.channel === AUDIT_CHANNEL &&
          callText(call).includes("secret-looking value was given to a Workflow Builder step"),
      );
      expect(callText(secretAudited)).toContain("refused");
      const reason = errorOf(
        await runStep(h, "request_credential_rotation", {
          integration: "github.com",
          requester: ADMIN,
          reason: `it is ${CANARY}`,
        }),
      );
      expect(reason).toContain("The reason cannot be used: This looks like it contains a secret");
      const missing = errorOf(
        await runStep(h, "request_credential_rotation", {
          integration: "gitlab.example.com",
          requester: ADMIN,
          reason: "rotate",
        }),
      );
      expect(missing).toBe(
        "gitlab.example.com: No SCM integration of the managed runners has this host. Nothing was requested.",
      );
      // None of these made a request.
      const history = await h.store.history({ limit: 50 });
      expect(history.filter((event) => event.outcome === "requested")).toEqual([]);
      expect(history.some((event) => event.actor === MALLORY && event.outcome === "unauthorized")).toBe(true);
      expect(h.logs.join("\n")).not.toContain("ghp_0123456789");
      expectNoLeak(h);
    });
  });

  describe("turned on, when Gitpod cannot be read", () => {
    const h = useHarness({ env: { SLACK_WORKFLOW_STEPS: "true" }, gitpodMaxRetries: 0 });

    it("the health step fails in words instead of reporting healthy", async () => {
      seedGitHubIntegration(h.emu.state);
      h.emu.faults.add({ kind: "status", status: 503, rpc: "ListSCMIntegrations" });
      const error = errorOf(await runStep(h, "check_credential_health", {}));
      expect(error).toMatch(/^Check credential health could not finish: .+/);
      expect(error).not.toContain(h.emu.token);
      // The request's log line, written once the listener has ended, says how.
      await waitUntil(() => h.logs.some((line) => line.includes('"outcome":"failed: error: unavailable"')), {
        what: "the step's log line",
      });
    });
  });

  describe("turned on, without four-eyes approval", () => {
    const h = useHarness({ env: { SLACK_WORKFLOW_STEPS: "true" } });

    it("the request step says there is nothing to request", async () => {
      seedGitHubIntegration(h.emu.state);
      const error = errorOf(
        await runStep(h, "request_credential_rotation", {
          integration: "github.com",
          requester: ADMIN,
          reason: "rotate",
        }),
      );
      expect(error).toBe(
        "Four-eyes approval is off (SLACK_ROTATE_APPROVALS_REQUIRED is 0), so there is no request to make: rotate with /gitpod-scm rotate <host>. Nothing was requested.",
      );
    });
  });

  describe("off (the default)", () => {
    const h = useHarness();

    it("runs no step: nothing takes the event (the default manifest does not subscribe to it)", async () => {
      seedGitHubIntegration(h.emu.state);
      const ack = await h.event(
        functionExecuted({
          callbackId: "check_credential_health",
          inputs: {},
          executionId: "FxOFF",
          botAccessToken: EXECUTION_TOKEN,
        }),
      );
      // Bolt answers an event no listener acknowledged with 404, after its 3 s wait.
      expect(ack.status).toBe(404);
      await h.afterNextCommand();
      expect(h.slack.calls.filter((call) => call.method.startsWith("functions."))).toEqual([]);
      expect(h.emu.requests.count("ValidateRunnerConfiguration")).toBe(0);
    });
  });
});

describe("the health step's summary", () => {
  const checked = (host: string): HealthCheckReport["integrations"][number] => ({
    integration: { id: `id-${host}`, runnerId: RUNNER_US_ID, host, scmId: "gitlab" },
    runnerName: "aws-us",
    managed: false,
    validation: { valid: false, problems: [], summary: "rejected" },
    tokens: { count: 0, expiring: [] },
    status: "invalid",
    findings: ["stored credentials are not valid: <!channel> said no"],
  });

  it("escapes foreign text and lists at most 20 integrations, counting the rest", () => {
    const integrations = Array.from({ length: 23 }, (_, index) => checked(`git${index}.example.com`));
    const summary = healthSummary({
      healthy: false,
      expiryWarningDays: 14,
      checkedAt: "2026-12-06T12:00:00.000Z",
      integrations,
      missing: [],
      counts: { healthy: 0, invalid: 23, expiring: 0, error: 0, unmanaged: 23, missing: 0 },
    });
    const lines = summary.split("\n");
    expect(lines[0]).toBe("Credential audit: needs attention, 23 integrations checked (23 invalid).");
    expect(lines.filter((line) => line.startsWith("• invalid: "))).toHaveLength(20);
    expect(lines.at(-1)).toBe("… and 3 more");
    expect(summary).toContain("&lt;!channel&gt; said no");
    expect(summary).not.toContain("<!channel>");
  });
});
