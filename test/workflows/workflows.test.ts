/**
 * The repository's own workflows: they pass the workflow linter that .ci/run runs, the linter's own
 * rules catch what they should, and the CI job that runs the action with `uses: ./` passes when its
 * steps are run here as the runner would run them, against the emulator.
 */
import { execFile } from "node:child_process";
import { copyFile, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
// @ts-expect-error: a plain .mjs script without type declarations
import { projectRules } from "../../scripts/lint-workflows.mjs";
import { type Emulator, startEmulator } from "../emulator/index.js";
import { makeWorkspace, removeWorkspace, runAction } from "../support/run-action.js";

const rules = projectRules as (text: string) => Array<{ line: number; message: string }>;

describe("the workflow linter", () => {
  it("passes every workflow of the repository and the examples", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["scripts/lint-workflows.mjs"]);
    expect(stdout).toMatch(/^\d+ workflow file\(s\) pass/);
  });

  it("flags unpinned third-party actions and missing or write-all permissions", () => {
    const problems = rules(
      "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: write-all\n    steps:\n      - uses: actions/checkout@v6\n      - uses: actions/checkout@8e8c483db84b4bee98b60c0593521ed34d9990e8\n      - uses: ./\n",
    );
    expect(problems.map((p) => p.line)).toEqual([7, 8, 1, 5]);
    expect(rules("permissions:\n  contents: read\njobs: {}\n")).toEqual([]);
  });

  it("is what .ci/run runs, and the CI workflow runs .ci/run", async () => {
    expect(await readFile(".ci/run", "utf8")).toContain("npm run lint:workflows");
    const ci = parse(await readFile(".github/workflows/ci.yml", "utf8"));
    const runs = ci.jobs.test.steps.map((step: { run?: string }) => step.run).filter(Boolean);
    expect(runs).toEqual(["bash .ci/run"]);
    const node = ci.jobs.test.steps.find((step: { uses?: string }) =>
      step.uses?.startsWith("actions/setup-node@"),
    );
    expect(node.with["node-version"]).toBe(24);
  });
});

describe("the CI job that runs the action from the checkout", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ token: "ci-emulator-token" });
  });
  afterAll(async () => {
    await emu.close();
  });

  it("passes: plan, apply, then a plan with fail-on-drift finds nothing", async () => {
    const ci = parse(await readFile(".github/workflows/ci.yml", "utf8"));
    type Step = { id?: string; uses?: string; with?: Record<string, unknown>; env?: Record<string, string> };
    const steps = (ci.jobs.action.steps as Step[]).filter((step) => step.uses === "./");
    expect(steps.map((step) => step.id)).toEqual(["plan", "apply", "replan"]);
    // A checkout of the files the job reads, in a workspace of its own.
    const workspace = await makeWorkspace("");
    await mkdir(join(workspace, "examples"));
    await copyFile("examples/runner-config.yaml", join(workspace, "examples", "runner-config.yaml"));
    const runnerTemp = join(workspace, "runner-temp");
    await mkdir(runnerTemp);
    const outputs: Record<string, Record<string, string>> = {};
    for (const step of steps) {
      const inputs = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([name, value]) => [
          name,
          String(value).replace("http://127.0.0.1:8787", emu.url),
        ]),
      );
      const result = await runAction({
        workspace,
        inputs,
        env: { ...step.env, RUNNER_TEMP: runnerTemp },
      });
      expect(result.code, `${step.id}: ${result.stdout}${result.stderr}`).toBe(0);
      outputs[step.id ?? ""] = result.outputs;
    }
    expect(outputs.plan?.changed).toBe("true");
    expect(outputs.apply?.changed).toBe("true");
    expect(outputs.replan?.changed).toBe("false");
    expect(
      (await readFile(outputs.plan?.["plan-file"] ?? join(runnerTemp, "none"), "utf8")).length,
    ).toBeGreaterThan(0);
    await removeWorkspace(workspace);
  });
});
