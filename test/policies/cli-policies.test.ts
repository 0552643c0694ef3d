/**
 * Policy rules through the CLI as a process (dist/cli.js): a failing rule fails plan (exit 1, or 3
 * with --detailed-exitcode) and blocks apply, also of a saved plan, with nothing written; an
 * override applies and says so; a rule that does not compile or is not boolean is an error at its
 * line before anything is read from the API.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, RUNNER_EU_ID, startEmulator } from "../emulator/index.js";
import { makeWorkspace, type ProcessResult, removeWorkspace, runCli } from "../support/run-action.js";

const configWith = (instanceType: string) => `version: 1
runners:
  - id: ${RUNNER_EU_ID}
    environmentClasses:
      - displayName: Small Instance
        description: A class for the policy tests
        configuration:
          instanceType: m6i.large
      - displayName: Big Instance
        description: A class for the policy tests
        configuration:
          instanceType: ${instanceType}
`;

const POLICIES = `version: 1
rules:
  - name: allowed-instance-types
    description: Only the instance types the platform team supports.
    expression: >-
      op.kind != "environmentClass" || op.after == null ||
      op.after.configuration.all(c, c.key != "instanceType" || c.value in ["m6i.large", "m6i.xlarge"])
  - name: few-classes
    description: At most 5 classes per runner.
    severity: warn
    scope: runner
    expression: runner.counts.environmentClass <= 5
`;

let emu: Emulator;
let workspace: string;

beforeEach(async () => {
  emu = await startEmulator();
  workspace = await makeWorkspace(configWith("m6i.4xlarge"));
  await writeFile(join(workspace, ".gitpod/policies.yaml"), POLICIES);
});
afterEach(async () => {
  await emu.close();
  await removeWorkspace(workspace);
});

function cli(args: string[]): Promise<ProcessResult> {
  return runCli(args, { cwd: workspace, api: emu });
}

describe("policy rules in the CLI", () => {
  it("plan shows the failing rule with the operation it names and fails; --detailed-exitcode says 3", async () => {
    const plan = await cli(["plan"]);
    expect(plan.code, plan.stderr).toBe(1);
    expect(plan.stdout).toContain("Policies (.gitpod/policies.yaml): 1 passed, 0 warnings, 1 failure");
    expect(plan.stdout).toContain(
      "allowed-instance-types (failed): Only the instance types the platform team supports.",
    );
    expect(plan.stdout).toContain(`- create environment class "Big Instance" on runner ${RUNNER_EU_ID}`);
    expect((await cli(["plan", "--detailed-exitcode"])).code).toBe(3);
    const json = await cli(["plan", "--json", "--detailed-exitcode"]);
    expect(json.code).toBe(3);
    const report = JSON.parse(json.stdout).policies;
    expect(report).toMatchObject({ file: ".gitpod/policies.yaml", failures: 1, warnings: 0, passed: 1 });
    expect(report.rules[0]).toMatchObject({ name: "allowed-instance-types", status: "failed" });
    expect(emu.requests.writes()).toHaveLength(0);
  });

  it("apply is blocked by a failing rule and writes nothing; the override applies and says why", async () => {
    const blocked = await cli(["apply", "--yes"]);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain("1 policy rule(s) failed; nothing was changed");
    expect(emu.requests.writes()).toHaveLength(0);

    const overridden = await cli(["apply", "--yes", "--policy-override", "incident 4711: capacity"]);
    expect(overridden.code, overridden.stderr).toBe(0);
    expect(overridden.stdout).toContain(
      "Policy override: apply went ahead despite 1 failing rule(s), for the reason: incident 4711: capacity",
    );
    expect(emu.requests.writes().length).toBeGreaterThan(0);
  });

  it("a passing plan applies; a plan saved before the rules changed is blocked at apply", async () => {
    await writeFile(join(workspace, ".gitpod/runner-config.yaml"), configWith("m6i.xlarge"));
    const planned = await cli(["plan", "--out", "plan.json", "--detailed-exitcode"]);
    expect(planned.code, planned.stdout + planned.stderr).toBe(2);
    expect(planned.stdout).toContain("Policies (.gitpod/policies.yaml): 2 passed, 0 warnings, 0 failures");
    // The platform team tightens the rules between plan and apply: apply decides.
    await writeFile(join(workspace, ".gitpod/policies.yaml"), POLICIES.replace(', "m6i.xlarge"', ""));
    const applied = await cli(["apply", "plan.json", "--yes"]);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain("1 policy rule(s) failed; nothing was changed");
    expect(emu.requests.writes()).toHaveLength(0);
    // With the rules as they were, the same saved plan applies.
    await writeFile(join(workspace, ".gitpod/policies.yaml"), POLICIES);
    const again = await cli(["apply", "plan.json", "--yes"]);
    expect(again.code, again.stderr).toBe(0);
    expect(emu.requests.writes().length).toBeGreaterThan(0);
  });

  it("a rule with a syntax error or a non-boolean result is an error at its line, before any API call", async () => {
    await writeFile(
      join(workspace, "bad.yaml"),
      `rules:
  - name: broken
    description: d
    expression: 'op.kind =='
  - name: counting
    description: d
    scope: runner
    expression: runner.counts.environmentClass + 1
`,
    );
    const result = await cli(["plan", "--policy", "bad.yaml"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("2 errors in the policy file; nothing was planned:");
    expect(result.stderr).toMatch(/bad\.yaml:4:\d+: rules\[0\]\.expression: does not compile/);
    expect(result.stderr).toMatch(
      /bad\.yaml:8:\d+: rules\[1\]\.expression: must be true or false, and this expression gives int/,
    );
    expect(emu.requests.count()).toBe(0);
    const validate = await cli(["validate", "--policy", "bad.yaml"]);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain("2 errors in the policy file");
  });

  it("--policy naming a missing file is an error; no default file means no rules", async () => {
    const missing = await cli(["plan", "--policy", "nope.yaml"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("nope.yaml");
    await writeFile(join(workspace, ".gitpod/policies.yaml"), "rules: []\n");
    const none = await cli(["plan"]);
    expect(none.code).toBe(0);
  });
});
