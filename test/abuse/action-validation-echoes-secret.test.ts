/**
 * ValidateRunnerConfiguration answers 200 with `oauthError` / `hostError` texts that quote the
 * plaintext client secret (escaped as \u sequences). The bundled action puts those texts in the PR
 * comment, the job summary, annotations and (in rotate mode) the `report` output: the secret must
 * appear in none of them, nor anywhere in the log.
 */
import { afterEach, describe, expect, it } from "vitest";
import { GITHUB_OAUTH_SECRET } from "../emulator/index.js";
import { type FakeGitHub, startFakeGitHub } from "../fakes/github-api.js";
import { LARGE_INSTANCE, sampleConfig } from "../support/fixtures.js";
import { makeWorkspace, removeWorkspace, runOnPullRequest } from "../support/run-action.js";
import { type EchoingGateway, startEchoingGateway } from "./echoing-gateway.js";
import { useAbuseHarness } from "./harness.js";

const h = useAbuseHarness();
const GITHUB_TOKEN = "ghs_fake_token_for_echo_test";
const NEW_SECRET = "rotated-canary-s3cret&<b>";
let gateway: EchoingGateway | undefined;
let github: FakeGitHub | undefined;
let workspace: string | undefined;

afterEach(async () => {
  await gateway?.close();
  await github?.close();
  if (workspace) await removeWorkspace(workspace);
  gateway = undefined;
  github = undefined;
  workspace = undefined;
});

async function run(inputs: Record<string, string>, secret: string) {
  gateway ??= await startEchoingGateway(h.emu.url);
  github ??= await startFakeGitHub({ token: GITHUB_TOKEN });
  workspace ??= await makeWorkspace(sampleConfig(LARGE_INSTANCE));
  const result = await runOnPullRequest({
    workspace,
    github,
    pullRequest: { number: 7 },
    api: { url: gateway.url, token: h.emu.token },
    inputs: { "github-token": GITHUB_TOKEN, ...inputs },
    env: { OAUTH_SECRET_GITHUB_COM: secret },
  });
  const comments = [...github.comments.values()].flat().map((c) => c.body);
  // `::add-mask::` lines are the runner's instruction to hide the value: the one place it must appear.
  const log = result.stdout
    .split("\n")
    .filter((line) => !line.startsWith("::add-mask::"))
    .join("\n");
  const everything = [log, result.stderr, result.summary, JSON.stringify(result.outputs), ...comments].join(
    "\n",
  );
  return { result, comments, everything };
}

describe("secrets echoed inside 200 validation answers", () => {
  it("plan: the errors reach the comment, summary and annotations with the secret redacted", async () => {
    const { result, comments, everything } = await run(
      { mode: "plan", "comment-on-pr": "true" },
      GITHUB_OAUTH_SECRET,
    );
    expect(gateway?.echoed).toBeGreaterThan(0);
    expect(result.code).toBe(1);
    // Markdown escapes the brackets (so no link can be formed); a reader sees "[redacted]".
    const redacted = /\\?\[redacted\\?\]/;
    expect(comments.join("\n")).toMatch(redacted);
    expect(result.summary).toMatch(redacted);
    expect(everything).not.toContain(GITHUB_OAUTH_SECRET);
  });

  it("rotate: the report output and summary carry the refusal, not the new secret", async () => {
    // The integration exists first (applied straight at the emulator), then a rotation goes through the gateway.
    expect((await h.action(sampleConfig(LARGE_INSTANCE), { mode: "apply" })).code).toBe(0);
    const { result, everything } = await run({ mode: "rotate" }, NEW_SECRET);
    expect(gateway?.echoed).toBeGreaterThan(0);
    expect(result.code).toBe(1);
    expect(result.outputs.report).toContain("[redacted]");
    expect(everything).not.toContain(NEW_SECRET);
    expect(everything).not.toContain(NEW_SECRET.replace("&", "&amp;").replace("<", "&lt;"));
  });
});
