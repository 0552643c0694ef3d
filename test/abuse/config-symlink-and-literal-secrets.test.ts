/**
 * A config file that is a symlink out of the workspace (or into its `.git`, whose config holds the
 * checkout's token), and a config holding credentials where errors quote it. The bundled action
 * (dist/index.js, on a pull request with its comment) and the CLI (dist/cli.js) refuse the symlink
 * and print nothing of its target; caret snippets and messages show `***` for secret values and
 * credential-shaped literals, with line, column and caret in place.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RUNNER_EU_ID } from "../emulator/index.js";
import { type FakeGitHub, startFakeGitHub } from "../fakes/github-api.js";
import { makeWorkspace, runCli, runOnPullRequest, WORKSPACE_CONFIG } from "../support/run-action.js";
import { useAbuseHarness } from "./harness.js";

const h = useAbuseHarness();
const GITHUB_TOKEN = "ghs_fake_token_for_symlink_test";
/** What `actions/checkout` leaves in .git/config: the job's token, base64 in a basic auth header. */
const BASIC = Buffer.from("x-access-token:ghs_canaryCheckoutToken0123456789").toString("base64");
const GIT_CONFIG = `[core]
\trepositoryformatversion = 0
[http "https://github.com/"]
\textraheader = AUTHORIZATION: basic ${BASIC}
`;
const OUTSIDE_CANARY = "canary-outside-the-workspace-4f3e2d";
const PAT = "ghp_canaryLiteralToken0123456789abcdefAB";

const cleanup: string[] = [];
let github: FakeGitHub | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
  for (const dir of cleanup.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A workspace whose config is a symlink to `target` (relative to .gitpod/), with .git/config. */
async function workspaceWithSymlink(target: string): Promise<string> {
  const workspace = await makeWorkspace("");
  cleanup.push(workspace);
  await rm(join(workspace, WORKSPACE_CONFIG));
  await mkdir(join(workspace, ".git"));
  await writeFile(join(workspace, ".git", "config"), GIT_CONFIG);
  await symlink(target, join(workspace, WORKSPACE_CONFIG));
  return workspace;
}

async function outsideFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "abuse-outside-"));
  cleanup.push(dir);
  const file = join(dir, "secret.yaml");
  await writeFile(file, `version: 1\nrunners: [${OUTSIDE_CANARY}]\nkey: ${OUTSIDE_CANARY}\n`);
  return file;
}

async function planOnPullRequest(workspace: string) {
  github = await startFakeGitHub({ token: GITHUB_TOKEN });
  const result = await runOnPullRequest({
    workspace,
    github,
    pullRequest: { number: 42 },
    api: h.emu,
    inputs: { "github-token": GITHUB_TOKEN, mode: "plan", "comment-on-pr": "true" },
  });
  const comments = JSON.stringify([...github.comments.values()]);
  return { ...result, everything: `${result.everything}\n${comments}` };
}

describe("a config symlinked out of the workspace, through the action", () => {
  it("to ../.git/config: refused, nothing of it in the log, summary, outputs or PR comment", async () => {
    const result = await planOnPullRequest(await workspaceWithSymlink("../.git/config"));
    expect(result.code).not.toBe(0);
    expect(result.everything).toContain(
      "real path is in the .git directory of the workspace (GITHUB_WORKSPACE)",
    );
    expect(result.everything).not.toContain(BASIC);
    expect(result.everything).not.toContain("extraheader");
    expect(h.emu.requests.entries).toHaveLength(0);
  });

  it("to a file outside the workspace: refused, nothing of it printed", async () => {
    const result = await planOnPullRequest(await workspaceWithSymlink(await outsideFile()));
    expect(result.code).not.toBe(0);
    expect(result.everything).toContain("real path is outside the workspace");
    expect(result.everything).not.toContain(OUTSIDE_CANARY);
  });
});

describe("a config symlinked out of the repository, through the CLI", () => {
  it("the default path is refused; named explicitly on the command line it is read", async () => {
    const outside = await outsideFile();
    const workspace = await workspaceWithSymlink(outside);
    const byDefault = await runCli(["validate", "--offline"], { cwd: workspace });
    expect(byDefault.code).toBe(1);
    expect(byDefault.stderr).toContain(`the file's real path is outside the repository`);
    expect(byDefault.stdout + byDefault.stderr).not.toContain(OUTSIDE_CANARY);

    const toGit = await workspaceWithSymlink("../.git/config");
    const git = await runCli(["plan", "--config", ".gitpod/*.yaml"], { cwd: toGit, api: h.emu });
    expect(git.code).toBe(1);
    expect(git.stderr).toContain("real path is in the .git directory of the repository");
    expect(git.stdout + git.stderr).not.toContain(BASIC);

    // The person running the CLI named the file: theirs to read (its errors still mask credentials).
    const named = await runCli(["validate", "--offline", "--config", outside], { cwd: workspace });
    expect(named.stderr).not.toContain("real path is outside");
  });
});

describe("credentials quoted by errors are masked", () => {
  const config = `version: 1
runners:
  - id: ${RUNNER_EU_ID}
    hostAuthenticationTokens:
      - host: github.com
        serviceAccount: 7d1e6f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6
        token: ${PAT}
`;
  /** A wrong type is reported with the value it got: here a Slack token pasted where a boolean goes. */
  const wrongType = `version: 1
runners:
  - id: ${RUNNER_EU_ID}
    scmIntegrations:
      - scmId: github
        host: github.com
        pat: xoxb-1234567890-canarySlackToken
`;

  it("the CLI's caret snippet and messages show *** at the same line, column and caret", async () => {
    const validate = async (text: string) => {
      const workspace = await makeWorkspace(text);
      cleanup.push(workspace);
      const result = await runCli(["validate", "--offline"], { cwd: workspace });
      expect(result.code).toBe(1);
      return result.stderr.split("\n");
    };
    const literal = await validate(config);
    expect(literal.join("\n")).not.toContain(PAT);
    expect(literal).toEqual([
      "1 error:",
      `  ${WORKSPACE_CONFIG}:7:16: runners[0].hostAuthenticationTokens[0].token must be a \${ENV_VAR} reference: a literal token in this file would be committed to git`,
      "    7 |         token: ***",
      "      |                ^",
      "",
    ]);
    const typed = await validate(wrongType);
    expect(typed.join("\n")).not.toContain("canarySlackToken");
    expect(typed.slice(1, 4)).toEqual([
      `  ${WORKSPACE_CONFIG}:7:14: runners[0].scmIntegrations[0].pat: expected true or false, got "***"`,
      "    7 |         pat: ***",
      "      |              ^",
    ]);
  });

  it("the action's log, annotations and summary do not carry them", async () => {
    for (const text of [config, wrongType]) {
      const result = await h.action(text, { mode: "plan" });
      expect(result.code).not.toBe(0);
      expect(result.everything).toContain(`${WORKSPACE_CONFIG}`);
      expect(result.everything).not.toContain(PAT);
      expect(result.everything).not.toContain("canarySlackToken");
    }
  });
});
