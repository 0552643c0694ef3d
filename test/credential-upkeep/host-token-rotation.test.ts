/**
 * The rotate mode rotates service accounts' host tokens too, through the bundled action: the same
 * report, Slack message and partial-failure rules as OAuth secrets, and no token value anywhere.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GITHUB_OAUTH_CLIENT_ID, RUNNER_EU_ID } from "../emulator/index.js";
import { type FakeWebhook, startFakeWebhook } from "../notify/webhook-server.js";
import { type ActionResult, FAST_CLIENT_ENV, runAction, WORKSPACE_CONFIG } from "../support/run-action.js";
import { NEW_GITHUB_SECRET, type Seeded, seeded } from "./setup.js";

const SA_BUILD = "7d1e6f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6";
const SA_DEPLOY = "0b7c1c9e-3c1d-4a5e-9f00-444444444444";
const SA_DOCS = "0b7c1c9e-3c1d-4a5e-9f00-555555555555";
const NEW_BUILD_TOKEN = "canary-build-pat-new-1a2b3c";
const NEW_BUILD_REFRESH = "canary-build-refresh-new-4d5e";
const NEW_DEPLOY_TOKEN = "canary-deploy-pat-new-6f70";
const WEBHOOK_PATH = "/services/T0/B0/canary-hook-token-rotation";

const CONFIG = `version: 1
runners:
  - id: ${RUNNER_EU_ID}
    name: aws-eu
    scmIntegrations:
      - scmId: github
        host: github.com
        pat: true
        oauth:
          clientId: ${GITHUB_OAUTH_CLIENT_ID}
          clientSecret: \${GH_OAUTH_SECRET}
    hostAuthenticationTokens:
      - host: github.com
        serviceAccount: ${SA_BUILD}
        token: \${BUILD_BOT_PAT}
        refreshToken: \${BUILD_BOT_REFRESH}
        expiresAt: "2027-03-01T00:00:00Z"
      - host: github.com
        serviceAccount: ${SA_DEPLOY}
        token: \${DEPLOY_BOT_PAT}
      - host: github.com
        serviceAccount: ${SA_DOCS}
        token: \${DOCS_BOT_PAT}
`;

let s: Seeded;
let webhook: FakeWebhook;
beforeEach(async () => {
  s = await seeded();
  webhook = await startFakeWebhook();
});
afterEach(async () => {
  await Promise.all([s.close(), webhook.close()]);
});

function seedServiceAccountToken(serviceAccount: string) {
  return s.emu.state.seedHostToken({
    runnerId: RUNNER_EU_ID,
    host: "github.com",
    source: "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT",
    subject: { id: serviceAccount, principal: "PRINCIPAL_SERVICE_ACCOUNT" },
    token: `old-token-of-${serviceAccount}`,
    expiresAt: "2026-12-01T00:00:00Z",
  });
}

function run(inputs: Record<string, string>, env: Record<string, string>): Promise<ActionResult> {
  return runAction({
    configYaml: CONFIG,
    api: s.emu,
    inputs: { config: WORKSPACE_CONFIG, mode: "rotate", ...inputs },
    env: { ...FAST_CLIENT_ENV, ...env },
  });
}

const CANARIES = [NEW_BUILD_TOKEN, NEW_BUILD_REFRESH, NEW_DEPLOY_TOKEN, NEW_GITHUB_SECRET, WEBHOOK_PATH];

function expectNoTokens(result: ActionResult, ...more: string[]): void {
  const visible = result.everything
    .split("\n")
    .filter((line) => !line.startsWith("::add-mask::"))
    .join("\n");
  for (const canary of [...CANARIES, ...more]) expect(visible, "a token leaked").not.toContain(canary);
}

describe("mode: rotate, service accounts' host tokens", () => {
  it("rotates the OAuth secret and the tokens; a token missing in Gitpod and an unset variable are refused; the run fails naming them", async () => {
    const build = seedServiceAccountToken(SA_BUILD);
    const docs = seedServiceAccountToken(SA_DOCS);
    // SA_DEPLOY has no token in Gitpod (never applied).
    const result = await run(
      { "slack-webhook-url": webhook.url(WEBHOOK_PATH) },
      {
        GH_OAUTH_SECRET: NEW_GITHUB_SECRET,
        BUILD_BOT_PAT: NEW_BUILD_TOKEN,
        BUILD_BOT_REFRESH: NEW_BUILD_REFRESH,
        DEPLOY_BOT_PAT: NEW_DEPLOY_TOKEN,
        // DOCS_BOT_PAT is not set.
      },
    );
    expect(result.code).toBe(1);
    expect(s.emu.state.hostTokens.get(build.id)).toMatchObject({
      token: NEW_BUILD_TOKEN,
      refreshToken: NEW_BUILD_REFRESH,
      expiresAt: "2027-03-01T00:00:00Z",
    });
    expect(s.emu.state.hostTokens.get(docs.id)?.token).toBe(`old-token-of-${SA_DOCS}`);
    expect(s.emu.state.decryptClientSecret(s.githubId)).toBe(NEW_GITHUB_SECRET);

    const report = JSON.parse(result.outputs.report ?? "{}");
    expect(report.counts).toMatchObject({ rotated: 2, refused: 2 });
    expect(
      report.items.map((item: { serviceAccount?: string; status: string }) => [
        item.serviceAccount,
        item.status,
      ]),
    ).toEqual([
      [undefined, "rotated"],
      [SA_BUILD, "rotated"],
      [SA_DEPLOY, "refused"],
      [SA_DOCS, "refused"],
    ]);
    const buildItem = report.items[1];
    expect(buildItem.rotation.steps.map((step: { status: string }) => step.status)).toEqual([
      "ok",
      "skipped",
      "ok",
      "ok",
    ]);
    expect(buildItem.rotation.steps[1].detail).toContain("no call that tests a host token");
    expect(result.stdout).toContain(
      `::error::Scheduled rotation: 2 rotated, 2 refused. Not rotated: github.com token of service account ${SA_DEPLOY} on aws-eu: refused; github.com token of service account ${SA_DOCS} on aws-eu: refused`,
    );
    expect(result.summary).toContain(`github.com token of service account ${SA_BUILD}`);
    expect(result.summary).toContain(
      "No such service-account token in Gitpod: apply the runner-config file first.",
    );
    expect(result.summary).toContain(
      "The environment variable DOCS_BOT_PAT is not set; nothing was changed.",
    );

    expect(webhook.posts).toHaveLength(1);
    const post = webhook.posts[0]?.raw ?? "";
    expect(post).toContain(`:white_check_mark: Rotated: *github.com token of service account ${SA_BUILD}*`);
    for (const canary of CANARIES) expect(post).not.toContain(canary);
    expectNoTokens(result);
  });

  it("rotate-only runner/host selects the host's tokens too; dry-run changes nothing and says a token cannot be tested", async () => {
    const build = seedServiceAccountToken(SA_BUILD);
    seedServiceAccountToken(SA_DEPLOY);
    seedServiceAccountToken(SA_DOCS);
    s.emu.requests.clear();
    const result = await run(
      { "rotate-only": "aws-eu/github.com", "dry-run": "true" },
      {
        GH_OAUTH_SECRET: NEW_GITHUB_SECRET,
        BUILD_BOT_PAT: NEW_BUILD_TOKEN,
        BUILD_BOT_REFRESH: NEW_BUILD_REFRESH,
        DEPLOY_BOT_PAT: NEW_DEPLOY_TOKEN,
        DOCS_BOT_PAT: "canary-docs-pat-77",
      },
    );
    expect(result.code, result.stdout).toBe(0);
    expect(s.emu.requests.writes()).toEqual([]);
    expect(s.emu.state.hostTokens.get(build.id)?.token).toBe(`old-token-of-${SA_BUILD}`);
    const report = JSON.parse(result.outputs.report ?? "{}");
    expect(report.counts["dry-run"]).toBe(4);
    expect(report.items[1].reason).toContain("a host token cannot be tested before it is stored");
    expectNoTokens(result, "canary-docs-pat-77");
  });

  it("an update without an answer is reported as unknown, not as failed", async () => {
    seedServiceAccountToken(SA_BUILD);
    seedServiceAccountToken(SA_DEPLOY);
    seedServiceAccountToken(SA_DOCS);
    s.emu.faults.add({ kind: "reset", rpc: "UpdateHostAuthenticationToken", after: true });
    const result = await run(
      { "rotate-only": "aws-eu/github.com" },
      {
        GH_OAUTH_SECRET: NEW_GITHUB_SECRET,
        BUILD_BOT_PAT: NEW_BUILD_TOKEN,
        BUILD_BOT_REFRESH: NEW_BUILD_REFRESH,
        DEPLOY_BOT_PAT: NEW_DEPLOY_TOKEN,
        DOCS_BOT_PAT: "canary-docs-pat-77",
      },
    );
    expect(result.code).toBe(1);
    const report = JSON.parse(result.outputs.report ?? "{}");
    expect(report.counts).toMatchObject({ rotated: 1, unknown: 3 });
    expect(report.items[1]).toMatchObject({ status: "unknown", changed: "unknown" });
    expect(report.items[1].reason).toContain("whether the new token is stored is unknown");
    expectNoTokens(result, "canary-docs-pat-77");
  });
});

describe("mode: audit, who renews an expiring token", () => {
  it("names the rotate mode's variable for a managed service account's token and the user who must sign in again", async () => {
    const soon = new Date(Date.now() + 3 * 24 * 60 * 60 * 1000).toISOString();
    const managed = s.emu.state.seedHostToken({
      runnerId: RUNNER_EU_ID,
      host: "github.com",
      subject: { id: SA_BUILD, principal: "PRINCIPAL_SERVICE_ACCOUNT" },
      expiresAt: soon,
    });
    const stray = "0b7c1c9e-3c1d-4a5e-9f00-666666666666";
    s.emu.state.seedHostToken({
      runnerId: RUNNER_EU_ID,
      host: "github.com",
      subject: { id: stray, principal: "PRINCIPAL_SERVICE_ACCOUNT" },
      expiresAt: soon,
    });
    const user = "f53d2330-3795-4c5d-a1f3-453121af9c60";
    s.emu.state.seedHostToken({ runnerId: RUNNER_EU_ID, host: "github.com", userId: user, expiresAt: soon });

    const result = await runAction({
      configYaml: CONFIG,
      api: s.emu,
      inputs: { config: WORKSPACE_CONFIG, mode: "audit" },
      env: FAST_CLIENT_ENV,
    });
    expect(result.code, result.stdout).toBe(0);
    const report = JSON.parse(result.outputs.report ?? "{}");
    const github = report.integrations.find(
      (item: { integration: { host: string } }) => item.integration.host === "github.com",
    );
    const byOwner = Object.fromEntries(
      github.tokens.expiring.map((token: { owner: string; principal: string; remedy: string }) => [
        token.owner,
        [token.principal, token.remedy],
      ]),
    );
    expect(byOwner[SA_BUILD]).toEqual([
      "service account",
      "the rotate mode renews it from the variable BUILD_BOT_PAT (and BUILD_BOT_REFRESH): set the new token there and run it (rotate-only: aws-eu/github.com); update expiresAt in the file with it",
    ]);
    expect(byOwner[stray]?.[1]).toContain(
      "is not in the runner-config file: add it under hostAuthenticationTokens",
    );
    expect(byOwner[user]).toEqual(["user", `user ${user} must sign in to github.com again`]);
    expect(result.summary).toContain("the rotate mode renews it from the variable BUILD_BOT_PAT");
    expect(result.stdout).toContain(`token ${managed.id} of service account ${SA_BUILD}`);
  });
});
