/**
 * Markdown and HTML injection into the job summary and the sticky PR comment: class names from the
 * API (and keys from the file) that try to ping a team, add a link, hide the rest of the comment or
 * embed an image. The bundled action must print them as plain text (also in the export mode's summary).
 */
import { afterEach, describe, expect, it } from "vitest";
import { GITHUB_OAUTH_SECRET, RUNNER_EU_ID } from "../emulator/index.js";
import { type FakeGitHub, startFakeGitHub } from "../fakes/github-api.js";
import { LARGE_INSTANCE, sampleConfig } from "../support/fixtures.js";
import { makeWorkspace, removeWorkspace, runOnPullRequest } from "../support/run-action.js";
import { useAbuseHarness } from "./harness.js";

const h = useAbuseHarness();
const GITHUB_TOKEN = "ghs_fake_token_for_markdown_test";
const HOSTILE = [
  "@acme/security-team please approve",
  "[click here](https://evil.example/login)",
  "<!-- the rest of this comment is hidden",
  '<img src="https://evil.example/pixel.png">',
  "**Approved by security**",
];
let github: FakeGitHub | undefined;
let workspace: string | undefined;

afterEach(async () => {
  await github?.close();
  if (workspace) await removeWorkspace(workspace);
  github = undefined;
  workspace = undefined;
});

async function planWithComment(config: string, inputs: Record<string, string> = {}) {
  github = await startFakeGitHub({ token: GITHUB_TOKEN });
  workspace = await makeWorkspace(config);
  const result = await runOnPullRequest({
    workspace,
    github,
    pullRequest: { number: 3 },
    api: h.emu,
    inputs: {
      "github-token": GITHUB_TOKEN,
      mode: "plan",
      "comment-on-pr": "true",
      ...inputs,
    },
    env: { OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET },
  });
  const comment = [...github.comments.values()]
    .flat()
    .map((c) => c.body)
    .join("\n");
  return { result, comment };
}

/**
 * Markup that would take effect if the text were not escaped: our own marker comment aside, and
 * outside code spans (where GitHub shows everything literally).
 */
function liveMarkup(markdown: string): string[] {
  const text = markdown.replace(/<!-- gitpod-runner-config:plan [^>]*-->/g, "").replace(/`[^`\n]*`/g, "");
  const found: string[] = [];
  if (/(^|[^\w\\])@acme/.test(text)) found.push("mention");
  if (/(^|[^\\])\[click here\]\(https:/.test(text)) found.push("link");
  if (text.includes("<!--")) found.push("html comment");
  if (text.includes("<img")) found.push("image");
  if (/(^|[^\\])\*\*Approved/.test(text)) found.push("bold");
  return found;
}

describe("hostile names in the summary and the PR comment", () => {
  it("class names from the API (plan with prune)", async () => {
    for (const displayName of HOSTILE)
      h.emu.state.seedEnvironmentClass({ runnerId: RUNNER_EU_ID, displayName });
    const { result, comment } = await planWithComment(sampleConfig(LARGE_INSTANCE), { prune: "true" });
    expect(result.code, result.stdout).toBe(0);
    expect(comment).toContain("security-team please approve");
    expect(liveMarkup(result.summary)).toEqual([]);
    expect(liveMarkup(comment)).toEqual([]);
  });

  it("class names and client ids from the API, in the export summary and log", async () => {
    // Two classes of one name on a runner make a note that names them; a client id is in a secret's line.
    for (const displayName of [...HOSTILE, "x\n::error::forged by a class name"]) {
      h.emu.state.seedEnvironmentClass({ runnerId: RUNNER_EU_ID, displayName });
      h.emu.state.seedEnvironmentClass({ runnerId: RUNNER_EU_ID, displayName, description: "again" });
    }
    h.emu.state.seedScmIntegration({
      runnerId: RUNNER_EU_ID,
      scmId: "gitlab",
      host: "gitlab.example.com",
      oauthClientId: HOSTILE.join(" "),
      oauthClientSecret: "s",
    });
    const result = await h.action("", { mode: "export", runners: RUNNER_EU_ID });
    expect(result.code, result.everything).toBe(0);
    expect(result.summary).toContain("security-team please approve");
    expect(result.summary).toContain("`OAUTH_SECRET_GITLAB_EXAMPLE_COM`: gitlab gitlab.example.com");
    expect(liveMarkup(result.summary)).toEqual([]);
    expect(result.stdout).not.toMatch(/^::error::forged/m);
  });

  it("keys from the file, in the error table", async () => {
    const config = sampleConfig(
      `${LARGE_INSTANCE}        "@acme/security-team": x\n        "<!-- hidden": y\n        "[click here](https://evil.example/login)": z\n`,
    );
    const { result, comment } = await planWithComment(config);
    expect(result.code).toBe(1);
    expect(comment).toContain("nothing was changed");
    expect(liveMarkup(result.summary)).toEqual([]);
    expect(liveMarkup(comment)).toEqual([]);
  });
});
