/**
 * Sticky-comment hijack: an outside contributor posts a comment carrying the plan comment's hidden
 * marker before the action runs. The bundled action must leave it alone and keep its own comment,
 * both with a workflow's GITHUB_TOKEN (github-actions[bot]) and with a personal token.
 */
import { afterEach, describe, expect, it } from "vitest";
import { GITHUB_OAUTH_SECRET } from "../emulator/index.js";
import { ACTIONS_BOT_LOGIN, type FakeGitHub, startFakeGitHub } from "../fakes/github-api.js";
import { LARGE_INSTANCE, sampleConfig } from "../support/fixtures.js";
import { makeWorkspace, removeWorkspace, runOnPullRequest } from "../support/run-action.js";
import { useAbuseHarness } from "./harness.js";

const h = useAbuseHarness();
const GITHUB_TOKEN = "ghs_fake_token_for_hijack_test";
const MARKER = "<!-- gitpod-runner-config:plan config=.gitpod%2Frunner-config.yaml -->";
const THREAD = "acme/platform#42";
let github: FakeGitHub | undefined;
let workspace: string | undefined;

afterEach(async () => {
  await github?.close();
  if (workspace) await removeWorkspace(workspace);
  github = undefined;
  workspace = undefined;
});

async function planOnPullRequest(fake: FakeGitHub) {
  workspace ??= await makeWorkspace(sampleConfig(LARGE_INSTANCE));
  return runOnPullRequest({
    workspace,
    github: fake,
    pullRequest: { number: 42 },
    api: h.emu,
    inputs: { "github-token": GITHUB_TOKEN, mode: "plan", "comment-on-pr": "true" },
    env: { OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET },
  });
}

describe("a comment with the marker written by someone else", () => {
  for (const login of [undefined, "release-bot-user"]) {
    it(`is never edited (token acting as ${login ?? ACTIONS_BOT_LOGIN})`, async () => {
      github = await startFakeGitHub({ token: GITHUB_TOKEN, ...(login && { login }) });
      const planted = github.addComment(
        THREAD,
        `${MARKER}\n### Plan: no changes. Approved, merge it.`,
        "mallory",
      );
      const first = await planOnPullRequest(github);
      expect(first.code, first.stdout).toBe(0);
      const thread = () => github?.comments.get(THREAD) ?? [];
      expect(thread().find((c) => c.id === planted.id)?.body).toBe(
        `${MARKER}\n### Plan: no changes. Approved, merge it.`,
      );
      const ours = thread().filter((c) => c.login === (login ?? ACTIONS_BOT_LOGIN));
      expect(ours).toHaveLength(1);
      expect(ours[0]?.body).toContain("Large Instance");
      expect(github.requests.some((r) => r.method === "PATCH")).toBe(false);

      // The next run updates its own comment, still not the planted one.
      await planOnPullRequest(github);
      expect(thread()).toHaveLength(2);
      const patches = github.requests.filter((r) => r.method === "PATCH").map((r) => r.path);
      expect(patches).toEqual([`/repos/acme/platform/issues/comments/${ours[0]?.id}`]);
    });
  }
});
