/**
 * The rotate and audit modes through the bundled dist/index.js, run as the GitHub runner runs it,
 * against the emulator, a fake Slack Web API and a fake incoming webhook.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  GITLAB_OAUTH_CLIENT_ID,
  GITLAB_OAUTH_SECRET,
  RUNNER_EU_ID,
  RUNNER_US_ID,
} from "../emulator/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { type FakeWebhook, startFakeWebhook } from "../notify/webhook-server.js";
import { type ActionResult, FAST_CLIENT_ENV, runAction, WORKSPACE_CONFIG } from "../support/run-action.js";
import {
  CANARIES,
  NEW_GITHUB_SECRET,
  NEW_GITLAB_SECRET,
  type Seeded,
  seeded,
  storedCiphertext,
  WRONG_SECRET,
} from "./setup.js";

const WEBHOOK_PATH = "/services/T0/B0/canary-hook-3be1d0c2";
const BOT_TOKEN = "xoxb-canary-bot-77af20e1";
const RUN_URL = "https://github.com/acme/platform/actions/runs/99";

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
  - id: ${RUNNER_US_ID}
    name: aws-us
    scmIntegrations:
      - scmId: gitlab
        host: gitlab.com
        oauth:
          clientId: ${GITLAB_OAUTH_CLIENT_ID}
          clientSecret: \${GL_OAUTH_SECRET}
`;

let s: Seeded;
let slack: FakeSlack;
let webhook: FakeWebhook;

beforeEach(async () => {
  s = await seeded();
  slack = await startFakeSlack();
  webhook = await startFakeWebhook();
});

afterEach(async () => {
  await Promise.all([s.close(), slack.close(), webhook.close()]);
});

function run(
  mode: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  config = CONFIG,
) {
  return runAction({
    configYaml: config,
    api: s.emu,
    inputs: { config: WORKSPACE_CONFIG, mode, ...inputs },
    env: {
      ...FAST_CLIENT_ENV,
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "acme/platform",
      GITHUB_RUN_ID: "99",
      ...env,
    },
  });
}

/** The secrets may appear only in the runner's ::add-mask:: commands, which it strips from logs. */
function expectNoSecrets(result: ActionResult, secrets: string[], ...more: string[]): void {
  const visible = result.everything
    .split("\n")
    .filter((line) => !line.startsWith("::add-mask::"))
    .join("\n");
  for (const secret of [...secrets, ...more]) {
    expect(visible, "a secret leaked").not.toContain(secret);
  }
}

function masked(result: ActionResult): string[] {
  return result.stdout
    .split("\n")
    .filter((line) => line.startsWith("::add-mask::"))
    .map((line) => line.slice("::add-mask::".length));
}

const webhookUrl = () => webhook.url(WEBHOOK_PATH);
const ALL_SECRETS = [...CANARIES, WEBHOOK_PATH, BOT_TOKEN, GITHUB_OAUTH_SECRET, GITLAB_OAUTH_SECRET];

describe("mode: rotate", () => {
  it("rotates every integration, writes outputs and summary, masks the secrets and posts one Slack message", async () => {
    const result = await run(
      "rotate",
      { "slack-webhook-url": webhookUrl() },
      { GH_OAUTH_SECRET: NEW_GITHUB_SECRET, GL_OAUTH_SECRET: NEW_GITLAB_SECRET },
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(s.emu.state.decryptClientSecret(s.githubId)).toBe(NEW_GITHUB_SECRET);
    expect(s.emu.state.decryptClientSecret(s.gitlabId)).toBe(NEW_GITLAB_SECRET);
    expect(result.outputs.changed).toBe("true");
    expect(result.outputs.summary).toBe("Scheduled rotation: 2 rotated");
    expect(JSON.parse(result.outputs.report ?? "{}")).toMatchObject({ ok: true, counts: { rotated: 2 } });
    expect(result.summary).toContain("## Scheduled rotation: 2 rotated");
    expect(result.summary).toMatch(/\| aws-us \([^|]+\) \| gitlab\.com \(gitlab\) \| ✅ rotated \|/);
    expect(result.summary).toContain(`[View the workflow run](${RUN_URL})`);
    expect(masked(result)).toEqual(
      expect.arrayContaining([webhookUrl(), NEW_GITHUB_SECRET, NEW_GITLAB_SECRET]),
    );

    expect(webhook.posts).toHaveLength(1);
    const post = webhook.posts[0]?.raw ?? "";
    expect(post).toContain('"text":"Scheduled rotation: 2 rotated"');
    expect(post).toContain(`<${RUN_URL}|View the workflow run>`);
    expect(post).toContain(":white_check_mark: Rotated: *github.com (github)*");
    expectNoSecrets(result, ALL_SECRETS);
    for (const secret of ALL_SECRETS) expect(post).not.toContain(secret);
  });

  it("writes each output once to GITHUB_OUTPUT (changed is not written twice)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rotate-outputs-"));
    try {
      const outputFile = join(dir, "output");
      await writeFile(outputFile, "");
      const result = await run(
        "rotate",
        { "dry-run": "true" },
        { GH_OAUTH_SECRET: NEW_GITHUB_SECRET, GL_OAUTH_SECRET: NEW_GITLAB_SECRET, GITHUB_OUTPUT: outputFile },
      );
      expect(result.code, result.stdout).toBe(0);
      const names = [...(await readFile(outputFile, "utf8")).matchAll(/^([a-z-]+)<</gm)].map((m) => m[1]);
      expect(names.filter((name) => name === "changed")).toEqual(["changed"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("partial failure: one rotates, a wrong secret changes nothing, the run fails listing it, Slack via bot token", async () => {
    const gitlabBefore = storedCiphertext(s.emu, s.gitlabId);
    const result = await run(
      "rotate",
      { "slack-bot-token": BOT_TOKEN, "slack-channel": "C0PLATFORM", "slack-api-url": slack.apiUrl },
      { GH_OAUTH_SECRET: NEW_GITHUB_SECRET, GL_OAUTH_SECRET: WRONG_SECRET },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "::error::Scheduled rotation: 1 rotated, 1 refused. Not rotated: gitlab.com on aws-us: refused",
    );
    expect(s.emu.state.decryptClientSecret(s.githubId)).toBe(NEW_GITHUB_SECRET);
    expect(storedCiphertext(s.emu, s.gitlabId)).toBe(gitlabBefore);
    expect(result.outputs.changed).toBe("true");
    expect(result.summary).toMatch(
      /\| gitlab\.com \(gitlab\) \| ⛔ refused \| The new credentials were refused: /,
    );
    const [call] = slack.callsTo("chat.postMessage");
    expect(call?.args).toMatchObject({
      channel: "C0PLATFORM",
      text: "Scheduled rotation: 1 rotated, 1 refused",
    });
    expect(JSON.stringify(call?.args)).toContain(":no_entry: Refused: the new credentials are not valid");
    expectNoSecrets(result, ALL_SECRETS);
    expect(slack.everything()).not.toContain(WRONG_SECRET);
    expect(slack.everything()).not.toContain(NEW_GITHUB_SECRET);
  });

  it("an unset variable is refused by name; the other integration still rotates", async () => {
    const result = await run("rotate", {}, { GH_OAUTH_SECRET: NEW_GITHUB_SECRET });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "The environment variable GL_OAUTH_SECRET is not set; nothing was changed.",
    );
    expect(s.emu.state.decryptClientSecret(s.githubId)).toBe(NEW_GITHUB_SECRET);
    expect(s.emu.state.decryptClientSecret(s.gitlabId)).toBe(GITLAB_OAUTH_SECRET);
  });

  it("dry-run tests the new secrets and makes no update", async () => {
    const result = await run(
      "rotate",
      { "dry-run": "true", "rotate-only": "aws-eu/github.com" },
      { GH_OAUTH_SECRET: NEW_GITHUB_SECRET },
    );
    expect(result.code).toBe(0);
    expect(result.outputs.summary).toBe("Scheduled rotation (dry run): 1 passed");
    expect(result.outputs.changed).toBe("false");
    expect(s.emu.requests.count("UpdateSCMIntegration")).toBe(0);
    expect(s.emu.state.decryptClientSecret(s.githubId)).toBe(GITHUB_OAUTH_SECRET);
  });

  it("a rotate-only entry that matches nothing fails the step by name before any API call", async () => {
    const result = await run(
      "rotate",
      { "rotate-only": "aws-eu/github.com\naws-xx/github.com" },
      { GH_OAUTH_SECRET: NEW_GITHUB_SECRET },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '::error::input rotate-only: "aws-xx/github.com" matches no SCM integration in the runner-config file; nothing was changed',
    );
    expect(s.emu.requests.count()).toBe(0);
  });

  it("Slack being down is a warning, not a failed rotation", async () => {
    webhook.answer({ status: 500, body: "internal_error" });
    const result = await run(
      "rotate",
      { "slack-webhook-url": webhookUrl() },
      { GH_OAUTH_SECRET: NEW_GITHUB_SECRET, GL_OAUTH_SECRET: NEW_GITLAB_SECRET },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "::warning::Slack notification not sent: the Slack webhook answered HTTP 500 (internal_error).",
    );
    expect(s.emu.state.decryptClientSecret(s.gitlabId)).toBe(NEW_GITLAB_SECRET);
    expectNoSecrets(result, ALL_SECRETS);
  });

  it("a literal secret in the file fails with an annotation on its line and changes nothing", async () => {
    const config = CONFIG.replace(`$\{GL_OAUTH_SECRET}`, "literal-canary-secret-value");
    const result = await run("rotate", {}, { GH_OAUTH_SECRET: NEW_GITHUB_SECRET }, config);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /::error title=runner-config,file=[^,]+,line=19,col=\d+::.*clientSecret must be a \$\{ENV_VAR\} reference/,
    );
    expect(s.emu.requests.count()).toBe(0);
    expectNoSecrets(result, ["literal-canary-secret-value"]);
  });
});

describe("mode: audit", () => {
  const now = Date.now();
  const inDays = (days: number) => new Date(now + days * 86_400_000).toISOString();

  function degrade(): { soonId: string } {
    s.emu.state.setOAuthAppSecrets("gitlab.com", GITLAB_OAUTH_CLIENT_ID, [NEW_GITLAB_SECRET]);
    const soon = s.emu.state.seedHostToken({
      runnerId: RUNNER_EU_ID,
      host: "github.com",
      integrationId: s.githubId,
      userId: "user-42",
      expiresAt: inDays(5),
    });
    s.emu.state.seedHostToken({ runnerId: RUNNER_EU_ID, host: "github.com", expiresAt: inDays(-1) });
    s.emu.state.seedScmIntegration({ runnerId: RUNNER_US_ID, scmId: "bitbucket", host: "bitbucket.org" });
    return { soonId: soon.id };
  }

  it("finds the revoked secret, expiring and expired tokens and the unmanaged integration; fail-on-unhealthy fails", async () => {
    const { soonId } = degrade();
    const result = await run("audit", { "fail-on-unhealthy": "true", "slack-webhook-url": webhookUrl() });
    expect(result.code).toBe(1);
    expect(result.outputs.healthy).toBe("false");
    expect(result.outputs.summary).toBe(
      "Credential audit: needs attention, 3 integrations checked (1 invalid, 1 with expiring tokens)",
    );
    expect(result.stdout).toContain(
      "::warning title=credential audit::github.com (github) on aws-eu: 1 host token expired; 1 host token expiring within 14 days",
    );
    expect(result.stdout).toMatch(
      /::warning title=credential audit::gitlab\.com \(gitlab\) on aws-us: stored credentials are not valid/,
    );
    expect(result.summary).toContain("| bitbucket.org (bitbucket) | **no** (not in the file) | ✅ healthy |");
    expect(result.summary).toContain(`\`${soonId}\` | \`user-42\``);
    expect(s.emu.requests.writes()).toHaveLength(0);

    expect(webhook.posts).toHaveLength(1);
    const post = webhook.posts[0]?.raw ?? "";
    expect(post).toContain(":x: *gitlab.com (gitlab)*");
    expect(post).toContain(":hourglass_flowing_sand: *github.com (github)*");
    expect(post).toContain(`\`${soonId}\` of \`user-42\``);
    expect(post).toContain("_not in the runner-config file_");
    expect(post).toContain(`<${RUN_URL}|View the workflow run>`);
    expectNoSecrets(result, ALL_SECRETS);
    for (const secret of ALL_SECRETS) expect(post).not.toContain(secret);
  });

  it("without fail-on-unhealthy the step passes with warnings; a wider window flags more; a Slack timeout is a warning", async () => {
    s.emu.state.seedHostToken({ runnerId: RUNNER_US_ID, host: "gitlab.com", expiresAt: inDays(20) });
    webhook.answer({ status: 200, body: "ok", hang: true });
    const result = await run(
      "audit",
      { "expiry-warning-days": "30", "slack-webhook-url": webhookUrl() },
      { SLACK_NOTIFY_TIMEOUT_MS: "300" },
    );
    expect(result.code).toBe(0);
    expect(result.outputs.healthy).toBe("false");
    expect(result.stdout).toContain("gitlab.com (gitlab) on aws-us: 1 host token expiring within 30 days");
    expect(result.stdout).toContain(
      "::warning::Slack notification not sent: Slack did not answer within 0.3 s.",
    );
    expectNoSecrets(result, ALL_SECRETS);
  });

  it("a rejected api-token fails the step in words for action users, with no bot wording and no token", async () => {
    const wrongToken = "gitpod-canary-wrong-token-5c1e";
    const result = await run("audit", { "api-token": wrongToken, "slack-webhook-url": webhookUrl() });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "::error::Could not run the credential audit: The Gitpod API rejected the API token (unauthenticated): check the api-token input",
    );
    expect(result.everything).not.toMatch(/\bbot('s)?\b/i);
    expect(webhook.posts).toHaveLength(1);
    expect(webhook.posts[0]?.raw ?? "").not.toMatch(/\bbot('s)?\b/i);
    expectNoSecrets(result, ALL_SECRETS, wrongToken);
  });

  it("a healthy audit passes and notify-on: failure posts nothing", async () => {
    const result = await run("audit", {
      "fail-on-unhealthy": "true",
      "notify-on": "failure",
      "slack-webhook-url": webhookUrl(),
    });
    expect(result.code).toBe(0);
    expect(result.outputs.healthy).toBe("true");
    expect(webhook.posts).toHaveLength(0);
  });

  it("bad Slack inputs fail the step naming the input, not its value", async () => {
    const result = await run("audit", { "slack-bot-token": BOT_TOKEN });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("::error::input slack-bot-token needs slack-channel");
    expectNoSecrets(result, [BOT_TOKEN]);
  });
});

describe("mode: apply, with Slack configured", () => {
  it("posts the apply result once, with the run link and no secret", async () => {
    const config = `${CONFIG}    environmentClasses:
      - displayName: Standard Instance
        description: A standard class
        configuration:
          instanceType: m6i.xlarge
`;
    const result = await run(
      "apply",
      { "slack-webhook-url": webhookUrl(), "rotate-secrets": "true" },
      { GH_OAUTH_SECRET: NEW_GITHUB_SECRET, GL_OAUTH_SECRET: NEW_GITLAB_SECRET },
      config,
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.outputs.summary).toBe("Applied 3 change(s).");
    expect(webhook.posts).toHaveLength(1);
    const post = webhook.posts[0]?.raw ?? "";
    expect(post).toContain('"text":"Gitpod runner configuration applied: 3 change(s)"');
    expect(post).toContain("create environment class `Standard Instance`");
    expect(post).toContain(`<${RUN_URL}|View the workflow run>`);
    expectNoSecrets(result, ALL_SECRETS);
    for (const secret of ALL_SECRETS) expect(post).not.toContain(secret);
  });

  it("posts nothing for notify-on: failure when the apply succeeds", async () => {
    const result = await run(
      "apply",
      { "slack-webhook-url": webhookUrl(), "notify-on": "failure" },
      { GH_OAUTH_SECRET: GITHUB_OAUTH_SECRET, GL_OAUTH_SECRET: GITLAB_OAUTH_SECRET },
    );
    expect(result.code).toBe(0);
    expect(webhook.posts).toHaveLength(0);
  });
});
