/**
 * Unmanaged objects as drift (issue 22 item 5), through the bundled action and the built CLI against
 * the emulator: a class and an integration added by hand in Gitpod are listed by every plan (text,
 * job summary, JSON), counted by the `unmanaged` output and not by `changed`, and fail the drift run
 * only with `drift: all`. Disabled classes and users' own host tokens are never drift.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, RUNNER_EU_ID, startEmulator } from "../emulator/index.js";
import { type FakeGitHub, startFakeGitHub } from "../fakes/github-api.js";
import { type FakeWebhook, startFakeWebhook } from "../notify/webhook-server.js";
import { sampleConfig, seedGitHubIntegration } from "../support/fixtures.js";
import {
  FAST_CLIENT_ENV,
  makeWorkspace,
  removeWorkspace,
  runAction,
  runCli,
  runOnPullRequest,
  WORKSPACE_CONFIG,
} from "../support/run-action.js";

let emu: Emulator;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator();
  dir = await mkdtemp(join(tmpdir(), "runner-config-unmanaged-"));
});
afterAll(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

const SMALL = `      - displayName: Small
        configuration:
          instanceType: m6i.large
`;
const GITHUB_PAT_ONLY = `      - scmId: github
        host: github.com
        pat: true
`;
/** A display name with markdown and mrkdwn in it, as anyone with access to Gitpod may type. */
const HAND_MADE = "Hand *made* <b>|x</b>";

/** The file manages Small and github.com; Gitpod also holds a class and an integration added by hand. */
beforeEach(() => {
  emu.state.reset();
  emu.state.seedEnvironmentClass({
    runnerId: RUNNER_EU_ID,
    displayName: "Small",
    configuration: [{ key: "instanceType", value: "m6i.large" }],
  });
  seedGitHubIntegration(emu.state, { oauthClientId: "", oauthClientSecret: "" });
  // Never drift: a disabled class (history) and a user's own token.
  emu.state.seedEnvironmentClass({ runnerId: RUNNER_EU_ID, displayName: "Old", enabled: false });
  emu.state.seedHostToken({ runnerId: RUNNER_EU_ID, host: "github.com" });
});

function addByHand() {
  const handClass = emu.state.seedEnvironmentClass({
    runnerId: RUNNER_EU_ID,
    displayName: HAND_MADE,
    configuration: [{ key: "instanceType", value: "m6i.4xlarge" }],
  });
  const gitlab = emu.state.seedScmIntegration({
    runnerId: RUNNER_EU_ID,
    scmId: "gitlab",
    host: "gitlab.com",
  });
  return { handClass, gitlab };
}

const CONFIG = sampleConfig(SMALL, GITHUB_PAT_ONLY);

describe("the action's plan", () => {
  it("counts nothing unmanaged when Gitpod holds only the file's objects, a disabled class and a user's token", async () => {
    const result = await runAction({
      configYaml: CONFIG,
      api: emu,
      inputs: { mode: "plan", "fail-on-drift": "true", drift: "all" },
    });
    expect(result.code, result.everything).toBe(0);
    expect(result.outputs.unmanaged).toBe("0");
    expect(result.outputs.changed).toBe("false");
    expect(result.stdout).not.toContain("not in the file");
  });

  it("lists a class and an integration added by hand; only drift: all fails on them", async () => {
    const { handClass, gitlab } = addByHand();
    const managed = await runAction({
      configYaml: CONFIG,
      api: emu,
      inputs: { mode: "plan", "fail-on-drift": "true" },
    });
    expect(managed.code, managed.everything).toBe(0);
    expect(managed.outputs.unmanaged).toBe("2");
    expect(managed.outputs.changed).toBe("false");
    expect(managed.outputs.summary).toBe("No changes. 2 objects match the file.");
    expect(managed.stdout).toContain(
      `not in the file: environment class "${HAND_MADE}" (id ${handClass.id})`,
    );
    expect(managed.stdout).toContain(`not in the file: SCM integration gitlab@gitlab.com (id ${gitlab.id})`);
    expect(managed.stdout).toContain("2 objects in Gitpod are not in the file");

    const all = await runAction({
      configYaml: CONFIG,
      api: emu,
      inputs: { mode: "plan", "fail-on-drift": "true", drift: "all" },
    });
    expect(all.code).toBe(1);
    expect(all.stdout).toContain("::error::drift: No changes. 2 objects match the file. 2 objects in Gitpod");
    expect(all.outputs.unmanaged).toBe("2");
    // The job summary lists them, escaped.
    expect(all.summary).toContain("not in the file: environment class");
    expect(all.summary).toContain("Hand \\*made\\* &lt;b&gt;");
    expect(all.summary).not.toContain("<b>");
    // Nothing was written: unmanaged objects are never operations.
    expect(emu.requests.writes()).toHaveLength(0);
    // The plan output carries them as data.
    const plan = JSON.parse(all.outputs.plan ?? "{}") as { runners: { unmanaged?: unknown[] }[] };
    expect(plan.runners[0]?.unmanaged).toEqual([
      { kind: "environmentClass", runnerId: RUNNER_EU_ID, key: HAND_MADE, id: handClass.id },
      { kind: "scmIntegration", runnerId: RUNNER_EU_ID, key: "gitlab@gitlab.com", id: gitlab.id },
    ]);
  });

  it("lists a service account's token the file does not hold, never a user's own", async () => {
    const managed = "7d1e6f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6";
    const other = "0b9a8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d";
    for (const id of [managed, other])
      emu.state.seedHostToken({
        runnerId: RUNNER_EU_ID,
        host: "github.com",
        subject: { id, principal: "PRINCIPAL_SERVICE_ACCOUNT" },
      });
    const result = await runAction({
      configYaml: `${CONFIG}    hostAuthenticationTokens:
      - host: github.com
        serviceAccount: ${managed}
        token: \${HOST_TOKEN_GITHUB_COM}
`,
      api: emu,
      inputs: { mode: "plan", "fail-on-drift": "true", drift: "all" },
    });
    expect(result.code).toBe(1);
    expect(result.outputs.unmanaged).toBe("1");
    expect(result.stdout).toContain(`not in the file: host token github.com/${other}`);
  });

  it("refuses a drift value it does not know", async () => {
    const result = await runAction({
      configYaml: CONFIG,
      api: emu,
      inputs: { mode: "plan", drift: "everything" },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('input drift must be one of managed, all, got "everything"');
  });
});

describe("the CLI's plan", () => {
  it("--detailed-exitcode counts unmanaged objects only with --drift all; --json lists them", async () => {
    addByHand();
    const config = join(dir, "runner-config.yaml");
    await writeFile(config, CONFIG);
    const cli = (args: string[]) => runCli(["plan", "--config", config, ...args], { cwd: dir, api: emu });
    const managed = await cli(["--detailed-exitcode"]);
    expect(managed.code, managed.stderr).toBe(0);
    expect(managed.stdout).toContain("not in the file: SCM integration gitlab@gitlab.com");
    expect((await cli(["--detailed-exitcode", "--drift", "all"])).code).toBe(2);
    const json = await cli(["--json", "--drift", "all"]);
    const document = JSON.parse(json.stdout) as { changed: boolean; unmanaged: number };
    expect(document).toMatchObject({ changed: false, unmanaged: 2 });
    const bad = await cli(["--drift", "some"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--drift must be one of managed, all, got "some"');
  });

  it("a saved plan carries them as data; applying it compares them with the rest of the plan", async () => {
    const { handClass } = addByHand();
    const config = join(dir, "runner-config.yaml");
    const saved = join(dir, "plan.json");
    await writeFile(config, CONFIG);
    const plan = await runCli(["plan", "--config", config, "--out", saved], { cwd: dir, api: emu });
    expect(plan.code, plan.stderr).toBe(0);
    const document = JSON.parse(await readFile(saved, "utf8")) as {
      plan: { runners: { unmanaged?: { id: string }[] }[] };
    };
    expect(document.plan.runners[0]?.unmanaged?.map((object) => object.id)).toContain(handClass.id);
    const applied = await runCli(["apply", saved, "--yes"], { cwd: dir, api: emu });
    expect(applied.code, applied.stderr).toBe(0);
    expect(emu.requests.writes()).toHaveLength(0);
    // Another class added by hand after the plan: the runners changed, the plan is refused.
    emu.state.seedEnvironmentClass({ runnerId: RUNNER_EU_ID, displayName: "Later" });
    const stale = await runCli(["apply", saved, "--yes"], { cwd: dir, api: emu });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("the plan no longer matches");
  });

  it("with --prune they are operations, not unmanaged objects", async () => {
    addByHand();
    const config = join(dir, "runner-config.yaml");
    await writeFile(config, CONFIG);
    const json = await runCli(["plan", "--config", config, "--prune", "--json"], { cwd: dir, api: emu });
    const document = JSON.parse(json.stdout) as { changed: boolean; unmanaged: number };
    expect(document).toMatchObject({ changed: true, unmanaged: 0 });
  });
});

describe("the nightly drift run: Slack and one GitHub issue", () => {
  const GITHUB_TOKEN = "ghs_drift-canary-token-5b1f";
  const WEBHOOK_PATH = "/services/T000/B000/drift-canary-webhook-7c2d";
  let github: FakeGitHub;
  let webhook: FakeWebhook;
  let workspace: string;
  beforeEach(async () => {
    github = await startFakeGitHub({ token: GITHUB_TOKEN });
    webhook = await startFakeWebhook();
    workspace = await makeWorkspace(CONFIG);
  });
  afterEach(async () => {
    await Promise.all([github.close(), webhook.close(), removeWorkspace(workspace)]);
  });

  /** The drift workflow's step, as examples/workflows/runner-config-drift.yml runs it nightly. */
  const nightly = () =>
    runAction({
      workspace,
      api: emu,
      inputs: {
        mode: "plan",
        "fail-on-drift": "true",
        drift: "all",
        "github-token": GITHUB_TOKEN,
        "slack-webhook-url": webhook.url(WEBHOOK_PATH),
      },
      env: {
        ...FAST_CLIENT_ENV,
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: "acme/platform",
        GITHUB_EVENT_NAME: "schedule",
        GITHUB_SERVER_URL: "https://github.example",
        GITHUB_RUN_ID: "4711",
      },
    });
  const slackTexts = () => webhook.posts.map((post) => JSON.stringify(post.body));

  it("opens the issue and tells Slack once, updates it while the drift lasts, closes it when the file adopts the objects", async () => {
    // Night 0: nothing drifted: no issue, no message.
    const quiet = await nightly();
    expect(quiet.code, quiet.everything).toBe(0);
    expect(github.issues).toHaveLength(0);
    expect(webhook.posts).toHaveLength(0);

    addByHand();
    const first = await nightly();
    expect(first.code).toBe(1);
    expect(first.stdout).toContain("Opened drift issue #1.");
    expect(github.issues).toHaveLength(1);
    const [issue] = github.issues;
    expect(issue?.state).toBe("open");
    expect(issue?.body).toMatch(
      /^<!-- gitpod-runner-config:drift config=\.gitpod%2Frunner-config\.yaml fingerprint=sha256:[0-9a-f]{64} -->\n/,
    );
    // API text escaped in the issue's markdown and in Slack's mrkdwn.
    expect(issue?.body).toContain("Hand \\*made\\* &lt;b&gt;");
    expect(issue?.body).not.toContain("<b>");
    expect(webhook.posts).toHaveLength(1);
    expect(slackTexts()[0]).toContain("Drift found");
    expect(slackTexts()[0]).toContain("Hand *made* &lt;b&gt;|x&lt;/b&gt;");
    expect(slackTexts()[0]).not.toContain("<b>");
    const firstBody = issue?.body;

    // Night 2, the same drift: the issue is updated, Slack is not told again.
    const second = await nightly();
    expect(second.code).toBe(1);
    expect(second.stdout).toContain("Updated drift issue #1.");
    expect(second.stdout).toContain("The drift is the same as last run's");
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]?.body.split("\n")[0]).toBe(firstBody?.split("\n")[0]);
    expect(webhook.posts).toHaveLength(1);

    // Night 3, one more class by hand: the drift changed, so Slack is told and the issue edited.
    const gpu = emu.state.seedEnvironmentClass({
      runnerId: RUNNER_EU_ID,
      displayName: "GPU",
      configuration: [{ key: "instanceType", value: "g5.xlarge" }],
    });
    const third = await nightly();
    expect(third.code).toBe(1);
    expect(third.stdout).toContain("Updated drift issue #1.");
    expect(webhook.posts).toHaveLength(2);
    expect(slackTexts()[1]).toContain("Drift changed");
    expect(github.issues[0]?.body).toContain(`GPU&quot; (id ${gpu.id})`);

    // The file adopts both objects: the issue is closed with a comment, Slack hears "resolved".
    await writeFile(
      join(workspace, WORKSPACE_CONFIG),
      sampleConfig(
        `${SMALL}      - displayName: "${HAND_MADE}"
        configuration:
          instanceType: m6i.4xlarge
      - displayName: GPU
        configuration:
          instanceType: g5.xlarge
`,
        `${GITHUB_PAT_ONLY}      - scmId: gitlab
        host: gitlab.com
`,
      ),
    );
    const fixed = await nightly();
    expect(fixed.code, fixed.everything).toBe(0);
    expect(fixed.outputs.unmanaged).toBe("0");
    expect(fixed.stdout).toContain("Closed drift issue #1.");
    expect(fixed.outputs.summary).toBe("No changes. 5 objects match the file.");
    expect(github.issues[0]?.state).toBe("closed");
    expect(github.comments.get("acme/platform#1")?.[0]?.body).toContain("match");
    expect(webhook.posts).toHaveLength(3);
    expect(slackTexts()[2]).toContain("Drift resolved");

    // Nothing in Slack, the issue or the log carries the token or the webhook's secret path.
    const everything = [
      ...slackTexts(),
      ...github.issues.map((i) => i.body),
      first.stdout.replace(/::add-mask::.*/g, ""),
      second.stdout.replace(/::add-mask::.*/g, ""),
    ].join("\n");
    expect(everything).not.toContain(GITHUB_TOKEN);
    expect(everything).not.toContain(WEBHOOK_PATH);
  });

  it("a pull request's plan comments them, escaped, and is no drift run even with fail-on-drift", async () => {
    addByHand();
    const result = await runOnPullRequest({
      workspace,
      api: emu,
      github,
      pullRequest: { number: 7, head: { sha: "0123456789abcdef0123" } },
      inputs: {
        mode: "plan",
        "comment-on-pr": "true",
        "fail-on-drift": "true",
        "github-token": GITHUB_TOKEN,
        "slack-webhook-url": webhook.url(WEBHOOK_PATH),
      },
      env: { GITHUB_EVENT_NAME: "pull_request" },
    });
    expect(result.code, result.everything).toBe(0);
    const [comment] = github.comments.get("acme/platform#7") ?? [];
    expect(comment?.body).toContain("not in the file: environment class");
    expect(comment?.body).toContain("Hand \\*made\\* &lt;b&gt;");
    expect(comment?.body).toContain("2 objects in Gitpod are not in the file");
    expect(github.issues).toHaveLength(0);
    expect(webhook.posts).toHaveLength(0);
  });

  it("with drift: managed, objects added by hand open no issue and post nothing", async () => {
    addByHand();
    const result = await runAction({
      workspace,
      api: emu,
      inputs: {
        mode: "plan",
        "fail-on-drift": "true",
        "github-token": GITHUB_TOKEN,
        "slack-webhook-url": webhook.url(WEBHOOK_PATH),
      },
      env: { ...FAST_CLIENT_ENV, GITHUB_API_URL: github.url, GITHUB_REPOSITORY: "acme/platform" },
    });
    expect(result.code, result.everything).toBe(0);
    expect(github.issues).toHaveLength(0);
    expect(webhook.posts).toHaveLength(0);
  });

  it("ignores an issue with the marker that someone else opened", async () => {
    addByHand();
    await nightly();
    const mine = github.issues[0];
    if (!mine) throw new Error("no issue was opened");
    // Someone copies the marker (with a fingerprint of nothing) into an issue of their own.
    github.issues.unshift({
      ...mine,
      number: 99,
      login: "mallory",
      body: mine.body.replace(/sha256:[0-9a-f]+/, `sha256:${"0".repeat(64)}`),
    });
    const again = await nightly();
    expect(again.stdout).toContain("Updated drift issue #1.");
    expect(webhook.posts).toHaveLength(1);
    expect(github.issues.find((issue) => issue.number === 99)?.body).toContain("0".repeat(64));
  });
});
