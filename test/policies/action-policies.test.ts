/**
 * Policy rules in the bundled action (dist/index.js) as the runner runs it: a failing rule blocks
 * apply with nothing written and says so in the summary and the outputs; the override is written in
 * the summary; on a pull request the rules come from the base branch's commit, so a pull request
 * that deletes (or loosens) the policy file is still checked, and the PR comment shows the section.
 */
import { execFile } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, RUNNER_EU_ID, startEmulator } from "../emulator/index.js";
import { type FakeGitHub, startFakeGitHub } from "../fakes/github-api.js";
import {
  makeWorkspace,
  removeWorkspace,
  runAction,
  runOnPullRequest,
  WORKSPACE_CONFIG,
} from "../support/run-action.js";

const git = promisify(execFile);
const GITHUB_TOKEN = "canary-github-token-policy";

const CONFIG = `version: 1
runners:
  - id: ${RUNNER_EU_ID}
    environmentClasses:
      - displayName: Huge Instance
        description: A class for the policy tests
        configuration:
          instanceType: m6i.4xlarge
`;

const POLICIES = `version: 1
rules:
  - name: allowed-instance-types
    description: Only the instance types the platform team supports.
    expression: >-
      op.kind != "environmentClass" || op.after == null ||
      op.after.configuration.all(c, c.key != "instanceType" || c.value in ["m6i.large", "m6i.xlarge"])
`;
const POLICY_FILE = ".gitpod/policies.yaml";

let emu: Emulator;
let workspace: string;

beforeEach(async () => {
  emu = await startEmulator();
  workspace = await makeWorkspace(CONFIG);
  await writeFile(join(workspace, POLICY_FILE), POLICIES);
});
afterEach(async () => {
  await emu.close();
  await removeWorkspace(workspace);
});

describe("policy rules in the action", () => {
  it("a failing rule blocks apply: nothing written, the summary and the outputs say so", async () => {
    const result = await runAction({ workspace, api: emu, inputs: { mode: "apply" } });
    expect(result.code).toBe(1);
    expect(result.outputs["policy-failures"]).toBe("1");
    expect(result.outputs.summary).toContain("1 policy rule(s) failed; nothing was changed");
    expect(result.summary).toContain("### Policies");
    expect(result.summary).toContain("Only the instance types the platform team supports.");
    expect(result.summary).toContain(
      `create environment class &quot;Huge Instance&quot; on runner ${RUNNER_EU_ID}`,
    );
    expect(emu.requests.writes()).toHaveLength(0);
  });

  it("the override applies and its reason is in the summary", async () => {
    const result = await runAction({
      workspace,
      api: emu,
      inputs: { mode: "apply", "policy-override": "incident 99: capacity" },
    });
    expect(result.code, result.everything).toBe(0);
    expect(emu.requests.writes().length).toBeGreaterThan(0);
    expect(result.summary).toContain(
      "Policy override: apply went ahead despite 1 failing rule(s), for the reason: incident 99: capacity",
    );
    expect(result.outputs.summary).toContain("incident 99: capacity");
  });

  it("a policy file that does not compile fails the step at its line before anything is read", async () => {
    await writeFile(
      join(workspace, POLICY_FILE),
      "rules:\n  - name: x\n    description: d\n    expression: '1 +'\n",
    );
    const result = await runAction({ workspace, api: emu, inputs: { mode: "plan" } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/file=\.gitpod\/policies\.yaml,line=4/);
    expect(emu.requests.count()).toBe(0);
  });
});

describe("on a pull request the rules are the base branch's", () => {
  let github: FakeGitHub;
  let baseSha: string;

  beforeEach(async () => {
    github = await startFakeGitHub({ token: GITHUB_TOKEN });
    const inRepo = (...args: string[]) => git("git", args, { cwd: workspace });
    await inRepo("init", "-q", "-b", "main");
    await inRepo("add", WORKSPACE_CONFIG, POLICY_FILE);
    await inRepo("-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", "base");
    baseSha = (await inRepo("rev-parse", "HEAD")).stdout.trim();
    // The pull request deletes the policy file.
    await rm(join(workspace, POLICY_FILE));
    await inRepo("rm", "-q", "--cached", POLICY_FILE);
    await inRepo("-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", "drop the rules");
  });
  afterEach(async () => {
    await github.close();
  });

  it("a pull request that deletes the policy file is still checked; the comment shows the Policies section", async () => {
    const result = await runOnPullRequest({
      workspace,
      github,
      pullRequest: { number: 7, base: { sha: baseSha, ref: "main" } },
      api: emu,
      inputs: { mode: "plan", "comment-on-pr": "true", "github-token": GITHUB_TOKEN },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `Policy rules from the base branch: ${POLICY_FILE} at ${baseSha.slice(0, 12)}`,
    );
    expect(result.outputs["policy-failures"]).toBe("1");
    const [comment] = github.comments.get("acme/platform#7") ?? [];
    expect(comment?.body).toContain("### Policies");
    expect(comment?.body).toContain("allowed-instance-types");
    expect(comment?.body).toContain("Only the instance types the platform team supports.");
    expect(comment?.body).toContain("Huge Instance");
  });

  it("a pull request whose loosened copy would pass is checked against the base's rules", async () => {
    await writeFile(join(workspace, POLICY_FILE), "rules: []\n");
    const result = await runOnPullRequest({
      workspace,
      github,
      pullRequest: { number: 8, base: { sha: baseSha } },
      api: emu,
      inputs: { mode: "plan" },
    });
    expect(result.code).toBe(1);
    expect(result.outputs["policy-failures"]).toBe("1");
  });

  it("a base commit missing from the checkout fails the step and says to fetch it", async () => {
    await writeFile(join(workspace, POLICY_FILE), POLICIES);
    const result = await runOnPullRequest({
      workspace,
      github,
      pullRequest: { number: 9, base: { sha: "0".repeat(40) } },
      api: emu,
      inputs: { mode: "plan" },
    });
    expect(result.code).toBe(1);
    expect(result.everything).toContain("fetch-depth: 0");
    expect(emu.requests.count()).toBe(0);
  });

  it("without a policy file or input, a shallow checkout warns that the base's rules were not read, and plans", async () => {
    const result = await runOnPullRequest({
      workspace,
      github,
      pullRequest: { number: 10, base: { sha: "0".repeat(40) } },
      api: emu,
      inputs: { mode: "plan" },
    });
    expect(result.code, result.everything).toBe(0);
    expect(result.stdout).toMatch(/::warning::.*fetch-depth: 0.*this plan was not checked against it/);
  });
});
