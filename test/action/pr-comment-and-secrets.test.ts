/**
 * The sticky pull-request comment (created once, then updated in place) and the canary check: no
 * secret value (API token, OAuth client secret, GitHub token, LLM key and literal header value) in stdout, stderr, the job summary, the
 * outputs or the comment. Secrets may only appear in `::add-mask::` commands, which is how the runner
 * learns to mask them.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, GITHUB_OAUTH_CLIENT_ID, RUNNER_EU_ID, startEmulator } from "../emulator/index.js";
import { type FakeGitHub, startFakeGitHub } from "../fakes/github-api.js";
import {
  type ActionResult,
  makeWorkspace,
  removeWorkspace,
  runOnPullRequest,
  WORKSPACE_CONFIG,
} from "../support/run-action.js";

const API_TOKEN = "canary-api-token-5d1f0c7e9b";
const OAUTH_SECRET = "canary-oauth-secret-8a2e6b4d13";
const GITHUB_TOKEN = "canary-github-token-77c0e1";
const LLM_KEY = "canary-llm-key-4e90c1d2";
const LLM_HEADER = "canary-llm-header-0d7b35";
const SECRETS = [API_TOKEN, OAUTH_SECRET, GITHUB_TOKEN, LLM_KEY, LLM_HEADER];

const config = (description: string) => `version: 1
runners:
  - id: ${RUNNER_EU_ID}
    environmentClasses:
      - displayName: Large Instance
        description: ${description}
        configuration:
          instanceType: m6i.2xlarge
    scmIntegrations:
      - scmId: github
        host: github.com
        pat: true
        oauth:
          clientId: ${GITHUB_OAUTH_CLIENT_ID}
          clientSecret: \${OAUTH_SECRET_GITHUB_COM}
    llmIntegrations:
      - endpoint: https://llm.example.com
        models: [SUPPORTED_MODEL_SONNET_4]
        apiKey: \${LLM_KEY}
        requestHeaders:
          - name: X-Org
            value: \${LLM_HEADER}
`;

let emu: Emulator;
let github: FakeGitHub;
let workspace: string;
const runs: ActionResult[] = [];

beforeAll(async () => {
  emu = await startEmulator({
    token: API_TOKEN,
    fixtures: {
      oauthApps: [{ host: "github.com", clientId: GITHUB_OAUTH_CLIENT_ID, secrets: [OAUTH_SECRET] }],
    },
  });
  github = await startFakeGitHub({ token: GITHUB_TOKEN });
  workspace = await makeWorkspace(config("8 CPU"));
});
afterAll(async () => {
  await emu.close();
  await github.close();
  await removeWorkspace(workspace);
});

async function run(inputs: Record<string, string>, text?: string): Promise<ActionResult> {
  if (text) await writeFile(join(workspace, WORKSPACE_CONFIG), text);
  const result = await runOnPullRequest({
    workspace,
    github,
    pullRequest: { number: 42 },
    api: { url: emu.url, token: API_TOKEN },
    inputs: { "github-token": GITHUB_TOKEN, ...inputs },
    env: { OAUTH_SECRET_GITHUB_COM: OAUTH_SECRET, LLM_KEY, LLM_HEADER },
  });
  runs.push(result);
  return result;
}

describe("sticky plan comment on the pull request", () => {
  it("creates one comment, then updates it in place on the next push", async () => {
    const first = await run({ mode: "plan", "comment-on-pr": "true" });
    expect(first.code).toBe(0);
    const thread = () => github.comments.get("acme/platform#42") ?? [];
    expect(thread()).toHaveLength(1);
    expect(thread()[0]?.body).toContain(
      "<!-- gitpod-runner-config:plan config=.gitpod%2Frunner-config.yaml -->",
    );
    expect(thread()[0]?.body).toContain("Large Instance");
    const id = thread()[0]?.id;

    const second = await run({ mode: "plan", "comment-on-pr": "true" }, config("8 CPU, 32 GiB RAM"));
    expect(second.code).toBe(0);
    expect(thread()).toHaveLength(1);
    expect(thread()[0]?.id).toBe(id);
    expect(thread()[0]?.body).toContain("8 CPU, 32 GiB RAM");
    const methods = github.requests.filter((r) => r.method !== "GET").map((r) => r.method);
    expect(methods).toEqual(["POST", "PATCH"]);

    // A push that breaks the file: the same comment now shows the errors, not a stale plan.
    const broken = await run(
      { mode: "plan", "comment-on-pr": "true" },
      config("8 CPU").replace("pat: true", "pat: 1"),
    );
    expect(broken.code).toBe(1);
    expect(thread()).toHaveLength(1);
    expect(thread()[0]?.body).toContain("nothing was changed");
    expect(thread()[0]?.body).toContain("runner-config.yaml:12");
    await run({ mode: "plan", "comment-on-pr": "true" }, config("8 CPU, 32 GiB RAM"));
  });

  it("does not comment without comment-on-pr", async () => {
    const before = github.requests.length;
    expect((await run({ mode: "plan" })).code).toBe(0);
    expect(github.requests.length).toBe(before);
  });
});

describe("canary: secrets never leak", () => {
  it("covers apply, rotation, a server-side rejection and a failed write", async () => {
    // The LLM integration is created, but the update that sets its literal header fails.
    emu.faults.add({ kind: "status", status: 500, rpc: "UpdateLLMIntegration", times: 10 });
    const headerless = await run({ mode: "apply", "comment-on-pr": "true" });
    expect(headerless.code).toBe(1);
    expect(headerless.everything).toContain("was created, but its request headers could not be set");
    emu.faults.clear();
    expect((await run({ mode: "apply" })).code).toBe(0);
    const llm = [...emu.state.llmIntegrations.values()][0];
    expect(emu.state.decryptApiKey(llm?.id ?? "")).toBe(LLM_KEY);
    expect(llm?.requestHeaders[0]?.value).toBe(Buffer.from(LLM_HEADER).toString("base64"));
    expect((await run({ mode: "apply", "rotate-secrets": "true" })).code).toBe(0);
    const integration = [...emu.state.scmIntegrations.values()][0];
    expect(emu.state.decryptClientSecret(integration?.id ?? "")).toBe(OAUTH_SECRET);

    // The OAuth app's secret was revoked: the server-side validation rejects the file's secret.
    emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, ["another-secret"]);
    const rejected = await run({ mode: "apply", "rotate-secrets": "true", "comment-on-pr": "true" });
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toMatch(/::error .*line=15/);
    emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [OAUTH_SECRET]);

    emu.faults.add({ kind: "status", status: 500, rpc: "UpdateSCMIntegration", times: 10 });
    const failed = await run({ mode: "apply", "rotate-secrets": "true" });
    expect(failed.code).toBe(1);
    emu.faults.clear();
  });

  it("no run printed, summarised, output or commented a secret value", () => {
    expect(runs.length).toBeGreaterThanOrEqual(6);
    const masked = (text: string) =>
      text
        .split("\n")
        .filter((line) => !line.startsWith("::add-mask::"))
        .join("\n");
    for (const result of runs) {
      const surfaces = [masked(result.stdout), result.stderr, result.summary, JSON.stringify(result.outputs)];
      for (const surface of surfaces) {
        for (const secret of SECRETS) expect(surface).not.toContain(secret);
      }
      expect(result.stdout).toContain(`::add-mask::${API_TOKEN}`);
    }
    expect(runs.some((r) => r.stdout.includes(`::add-mask::${OAUTH_SECRET}`))).toBe(true);
    expect(runs.some((r) => r.stdout.includes(`::add-mask::${LLM_HEADER}`))).toBe(true);
    for (const thread of github.comments.values()) {
      for (const comment of thread) {
        for (const secret of SECRETS) expect(comment.body).not.toContain(secret);
      }
    }
  });
});
