/**
 * Day one after the README: `init` in an empty git repository (the built CLI against the emulator),
 * then the workflows it wrote, run step by step as the runner would: the plan workflow on a pull
 * request (the bundled action, a fake GitHub API for the comment, the uploaded artifact as a file),
 * then the apply workflow on the merge commit applying that artifact, with its result commented on
 * the merged pull request. A plan that went stale, and an artifact edited after the plan, are
 * refused with nothing changed. `npm run build` first.
 */
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  type Emulator,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  RUNNER_US_ID,
  startEmulator,
} from "../emulator/index.js";
import { type FakeGitHub, startFakeGitHub } from "../fakes/github-api.js";
import { seedGitHubIntegration } from "../support/fixtures.js";
import { type ActionResult, FAST_CLIENT_ENV, runAction, runCli } from "../support/run-action.js";

const GITHUB_TOKEN = "ghs_journey_token";
const REPOSITORY = "acme/infra";
const CONFIG = ".gitpod/runner-config.yaml";

let emu: Emulator;
let github: FakeGitHub;
let repo: string;
/** Where the test keeps "uploaded" artifacts, by pull request number. */
let artifacts: string;

type Step = {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
};

async function workflowSteps(file: string): Promise<Step[]> {
  const workflow = parse(await readFile(join(repo, ".github/workflows", file), "utf8")) as {
    jobs: Record<string, { steps: Step[] }>;
  };
  return Object.values(workflow.jobs).flatMap((job) => job.steps);
}

/** `${{ secrets.X }}` and `${{ steps.ID.outputs.NAME }}` as the runner resolves them. */
function resolver(secrets: Record<string, string>, outputs: Record<string, Record<string, string>>) {
  return (value: unknown): string =>
    String(value).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
      const secret = /^secrets\.([A-Za-z0-9_]+)$/.exec(expression);
      if (secret?.[1]) {
        const found = secrets[secret[1]];
        if (found === undefined)
          throw new Error(`the workflow reads secrets.${secret[1]}, which init did not list`);
        return found;
      }
      const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
      if (output?.[1] && output[2]) return outputs[output[1]]?.[output[2]] ?? "";
      throw new Error(`expression not known to the test: ${expression}`);
    });
}

let secrets: Record<string, string>;

/** The action step of a workflow, run with its inputs and env resolved. */
async function runActionStep(
  step: Step,
  outputs: Record<string, Record<string, string>>,
  env: Record<string, string>,
): Promise<ActionResult> {
  const resolve = resolver(secrets, outputs);
  const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, resolve(v)]));
  const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, resolve(v)]));
  return runAction({
    workspace: repo,
    inputs: { ...inputs, "api-url": emu.url },
    env: {
      ...FAST_CLIENT_ENV,
      GITHUB_API_URL: github.url,
      GITHUB_REPOSITORY: REPOSITORY,
      ...env,
      ...stepEnv,
    },
  });
}

/** The plan workflow on pull request `number` at `headSha`: the action, then upload-artifact (a copy). */
async function planWorkflow(
  number: number,
  headSha: string,
): Promise<{ result: ActionResult; artifact: string }> {
  const steps = await workflowSteps("gitpod-plan.yml");
  const event = join(artifacts, `event-pr-${number}.json`);
  await writeFile(event, JSON.stringify({ pull_request: { number, head: { sha: headSha } } }));
  const runnerTemp = await mkdtemp(join(tmpdir(), "runner-temp-"));
  const outputs: Record<string, Record<string, string>> = {};
  let result: ActionResult | undefined;
  let artifact = "";
  for (const step of steps) {
    if (step.uses?.startsWith("actions/checkout@")) continue; // the repository is the workspace
    if (step.uses?.startsWith("gitpod-runner-config/gitpod-runner-config@")) {
      result = await runActionStep(step, outputs, {
        GITHUB_EVENT_PATH: event,
        GITHUB_SHA: headSha,
        RUNNER_TEMP: runnerTemp,
      });
      outputs[step.id ?? ""] = result.outputs;
      expect(result.code, `${result.stdout}${result.stderr}`).toBe(0);
    } else if (step.uses?.startsWith("actions/upload-artifact@")) {
      const path = resolver(secrets, outputs)(step.with?.path);
      expect(step.with?.name).toBe("gitpod-runner-config-plan");
      const dir = join(artifacts, `pr-${number}`);
      await mkdir(dir, { recursive: true });
      artifact = join(dir, basename(path));
      await copyFile(path, artifact);
    } else throw new Error(`plan workflow step not known to the test: ${JSON.stringify(step)}`);
  }
  if (!result) throw new Error("the plan workflow has no action step");
  return { result, artifact };
}

/** The apply workflow on merge commit `mergeSha` of pull request `number`, given the artifact the download step found. */
async function applyWorkflow(
  number: number,
  headSha: string,
  mergeSha: string,
  artifact: string,
): Promise<ActionResult> {
  github.pullsOfCommit.set(mergeSha, [{ number, headSha, merged: true }]);
  const steps = await workflowSteps("gitpod-apply.yml");
  const download = steps.find((step) => step.id === "reviewed");
  // The download step's script is GitHub's side (gh api, gh run list, gh run download): its contract is checked here.
  expect(download?.run).toContain(`repos/$GITHUB_REPOSITORY/commits/$GITHUB_SHA/pulls`);
  expect(download?.run).toContain("--status success");
  expect(download?.run).toContain("--name gitpod-runner-config-plan");
  const event = join(artifacts, `event-push-${mergeSha}.json`);
  await writeFile(event, JSON.stringify({ ref: "refs/heads/main", after: mergeSha }));
  const step = steps.find((candidate) =>
    candidate.uses?.startsWith("gitpod-runner-config/gitpod-runner-config@"),
  );
  if (!step) throw new Error("the apply workflow has no action step");
  return runActionStep(
    step,
    { reviewed: { file: artifact } },
    { GITHUB_EVENT_PATH: event, GITHUB_SHA: mergeSha },
  );
}

function comments(number: number): string[] {
  return (github.comments.get(`${REPOSITORY}#${number}`) ?? []).map((comment) => comment.body);
}

function classNames(): string[] {
  return [...emu.state.environmentClasses.values()].map((c) => c.displayName).sort();
}

async function editConfig(edit: (text: string) => string): Promise<void> {
  const path = join(repo, CONFIG);
  await writeFile(path, edit(await readFile(path, "utf8")));
}

/** Adds a class named `name` to the first runner of the file. */
function withClass(name: string) {
  return (text: string) =>
    text.replace(
      /environmentClasses:\n/,
      `environmentClasses:\n      - displayName: ${name}\n        description: 4 CPU, 16 GiB RAM\n        configuration:\n          instanceType: m6i.xlarge\n`,
    );
}

beforeAll(async () => {
  emu = await startEmulator();
  const configuration = [{ key: "instanceType", value: "m6i.large" }];
  emu.state.seedEnvironmentClass({ runnerId: RUNNER_EU_ID, displayName: "Small", configuration });
  emu.state.seedEnvironmentClass({ runnerId: RUNNER_US_ID, displayName: "Small", configuration });
  seedGitHubIntegration(emu.state);
  github = await startFakeGitHub({ token: GITHUB_TOKEN });
  repo = await mkdtemp(join(tmpdir(), "runner-config-init-"));
  artifacts = await mkdtemp(join(tmpdir(), "runner-config-artifacts-"));
  await promisify(execFile)("git", ["init", "--quiet", repo]);
  secrets = { GITPOD_API_TOKEN: emu.token, GITHUB_TOKEN };
});
afterAll(async () => {
  await emu.close();
  await github.close();
  await rm(repo, { recursive: true, force: true });
  await rm(artifacts, { recursive: true, force: true });
});

describe("init, then the plan and apply workflows it wrote", () => {
  it("init writes the file and three workflows, and lists the secrets to add", async () => {
    const result = await runCli(["init"], { cwd: repo, api: { token: emu.token, url: emu.url } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Wrote, in ");
    for (const path of [
      CONFIG,
      ".github/workflows/gitpod-plan.yml",
      ".github/workflows/gitpod-apply.yml",
      ".github/workflows/gitpod-drift.yml",
    ]) {
      expect(result.stdout).toContain(`  ${path}\n`);
      expect((await stat(join(repo, path))).isFile()).toBe(true);
    }
    expect(result.stdout).toMatch(/gh secret set GITPOD_API_TOKEN +# /);
    expect(result.stdout).toMatch(/gh secret set OAUTH_SECRET_GITHUB_COM +# github github\.com on runner /);
    // Every workflow passes the file's variable from the secret of the same name.
    for (const file of ["gitpod-plan.yml", "gitpod-apply.yml", "gitpod-drift.yml"]) {
      const step = (await workflowSteps(file)).find((s) => s.uses?.includes("gitpod-runner-config@"));
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the workflow's literal expression
      expect(step?.env, file).toEqual({ OAUTH_SECRET_GITHUB_COM: "${{ secrets.OAUTH_SECRET_GITHUB_COM }}" });
    }
    const drift = (await workflowSteps("gitpod-drift.yml")).find((s) =>
      s.uses?.includes("gitpod-runner-config@"),
    );
    expect(drift?.with?.drift).toBe("all");
    secrets.OAUTH_SECRET_GITHUB_COM = GITHUB_OAUTH_SECRET;
  });

  it("init that cannot export writes nothing, and says why", async () => {
    const empty = await mkdtemp(join(tmpdir(), "runner-config-init-empty-"));
    try {
      await promisify(execFile)("git", ["init", "--quiet", empty]);
      const result = await runCli(["init", "--json"], { cwd: empty, env: { GITPOD_API_KEY: "" } });
      expect(result.code).not.toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({
        ok: false,
        error: expect.stringMatching(/ONA_API_KEY/),
      });
      await expect(stat(join(empty, ".github"))).rejects.toThrow(/ENOENT/);
      await expect(stat(join(empty, ".gitpod"))).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it("init again keeps every file and says so; --force is needed to overwrite", async () => {
    await editConfig((text) => `${text}# edited by hand\n`);
    const before = await readFile(join(repo, CONFIG), "utf8");
    const result = await runCli(["init", "--json"], { cwd: repo, env: { GITPOD_API_KEY: "" } });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      written: string[];
      kept: string[];
      secrets: Array<{ name: string }>;
    };
    expect(report.written).toEqual([]);
    expect(report.kept).toHaveLength(4);
    expect(report.secrets.map((s) => s.name)).toEqual(["GITPOD_API_TOKEN", "OAUTH_SECRET_GITHUB_COM"]);
    expect(await readFile(join(repo, CONFIG), "utf8")).toBe(before);
    const text = await runCli(["init"], { cwd: repo, env: { GITPOD_API_KEY: "" } });
    expect(text.stdout).toContain(
      "Kept (they exist; --force overwrites them):\n  .gitpod/runner-config.yaml\n",
    );
    const wrong = await runCli(["init", "--froce"], { cwd: repo });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("--force");
  });

  it("the pull request's plan is applied after the merge, and the result is commented on it", async () => {
    await editConfig(withClass("Medium"));
    const plan = await planWorkflow(7, "a".repeat(40));
    expect(plan.result.outputs.summary).toMatch(/1 to create/);
    expect(comments(7)).toHaveLength(1);
    expect(comments(7)[0]).toContain("<!-- gitpod-runner-config:plan config=");
    expect(comments(7)[0]).toContain("Medium");
    expect(JSON.parse(await readFile(plan.artifact, "utf8")).format).toBe("gitpod-runner-config-plan");

    const apply = await applyWorkflow(7, "a".repeat(40), "b".repeat(40), plan.artifact);
    expect(apply.code, `${apply.stdout}${apply.stderr}`).toBe(0);
    expect(apply.outputs.summary).toBe("Applied 1 change(s).");
    expect(classNames()).toContain("Medium");
    const [planComment, applyComment] = comments(7);
    expect(planComment).toContain("gitpod-runner-config:plan");
    expect(applyComment).toMatch(/^<!-- gitpod-runner-config:apply config=/);
    expect(applyComment).toContain("Medium");
    expect(applyComment).toContain(`Commit \`${"b".repeat(12)}\``);
    for (const body of comments(7)) expect(body).not.toContain(GITHUB_OAUTH_SECRET);
    expect(apply.everything.replace(/^::add-mask::.*$/gm, "")).not.toContain(GITHUB_OAUTH_SECRET);
  });

  it("a plan that went stale before the merge is refused on the pull request, with how to recover", async () => {
    await editConfig(withClass("Large"));
    const plan = await planWorkflow(8, "c".repeat(40));
    // Someone changes the runners by hand between the review and the merge.
    emu.state.seedEnvironmentClass({
      runnerId: RUNNER_US_ID,
      displayName: "Made by hand",
      configuration: [{ key: "instanceType", value: "m6i.large" }],
    });
    const before = classNames();
    const apply = await applyWorkflow(8, "c".repeat(40), "d".repeat(40), plan.artifact);
    expect(apply.code).not.toBe(0);
    expect(classNames()).toEqual(before);
    expect(classNames()).not.toContain("Large");
    const applyComment = comments(8).find((body) => body.includes("gitpod-runner-config:apply"));
    expect(applyComment).toContain("the reviewed plan was not applied");
    expect(applyComment).toContain("the runners changed since the plan was made");
    expect(applyComment).toContain("workflow_dispatch");
    expect(apply.stdout).toContain("::error::The reviewed plan was not applied");

    // Recovery: the plan again (workflow_dispatch on main), then apply: that plan holds.
    const again = await planWorkflow(8, "d".repeat(40));
    const recovered = await applyWorkflow(8, "c".repeat(40), "d".repeat(40), again.artifact);
    expect(recovered.code, `${recovered.stdout}${recovered.stderr}`).toBe(0);
    expect(classNames()).toContain("Large");
    // One sticky apply comment, updated from the refusal to the result.
    const applyComments = comments(8).filter((body) => body.includes("gitpod-runner-config:apply"));
    expect(applyComments).toHaveLength(1);
    expect(applyComments[0]).not.toContain("not applied");
  });

  it("an artifact edited after the plan is refused, and nothing is sent", async () => {
    await editConfig(withClass("Huge"));
    const plan = await planWorkflow(9, "e".repeat(40));
    const saved = JSON.parse(await readFile(plan.artifact, "utf8"));
    // The attacker's version: the planned class gets another instance type.
    const text = JSON.stringify(saved).replace('"m6i.xlarge"', '"p5.48xlarge"');
    expect(text).not.toBe(JSON.stringify(saved));
    await writeFile(plan.artifact, text);
    const writes = () => emu.requests.all().filter((r) => /^(Create|Update|Delete)/.test(r.rpc)).length;
    const writesBefore = writes();
    const apply = await applyWorkflow(9, "e".repeat(40), "f".repeat(40), plan.artifact);
    expect(apply.code).not.toBe(0);
    expect(classNames()).not.toContain("Huge");
    expect(writes()).toBe(writesBefore);
    const applyComment = comments(9).find((body) => body.includes("gitpod-runner-config:apply"));
    expect(applyComment).toContain("the reviewed plan was not applied");
    expect(applyComment).toContain("only in the saved plan");

    // Options written in (prune) are refused before anything is read from Gitpod.
    const pruning = { ...saved, options: { ...saved.options, prune: true } };
    pruning.plan.options.prune = true;
    await writeFile(plan.artifact, JSON.stringify(pruning));
    const pruned = await applyWorkflow(9, "e".repeat(40), "f".repeat(40), plan.artifact);
    expect(pruned.code).not.toBe(0);
    expect(pruned.stdout).toMatch(
      /was made with prune: true and this step has prune: false; nothing was changed/,
    );
    expect(writes()).toBe(writesBefore);
    expect(classNames()).not.toContain("Huge");
  });
});
