/**
 * Scenario 8, policy rules: 20 CEL rules (14 per operation, 3 per runner, 3 per plan) over a plan
 * of 10,000 new objects, every one a pending operation (the most evaluations a plan of this size
 * asks for). The rules' cost (compiling the file and evaluating every rule) is set against the
 * plan's own CPU; the target is 10%. Each run is a fresh process on a fresh emulator, no latency.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../../test/emulator/index.js";
import { runChild } from "../lib/child.js";
import {
  generateDesiredState,
  objectCount,
  prepareEmulator,
  toRunnerConfigYaml,
} from "../lib/desired-state.js";
import { loadNow, spread } from "../lib/measure.js";
import { ms, type Row, type ScenarioReport, spreadText, verdict } from "../lib/report.js";
import type { PolicyCostStats } from "../workers/policy-cost.js";
import { shapeFor } from "./scale.js";

export interface PoliciesOptions {
  objects: number;
  runners: number;
  runs: number;
}

export const FULL_POLICIES: PoliciesOptions = { objects: 10_000, runners: 10, runs: 5 };

/** The rules' CPU may be at most this share of the plan's. */
const TARGET_SHARE = 0.1;

const isClass = 'op.kind != "environmentClass" || op.after == null';
const isIntegration = 'op.kind != "scmIntegration" || op.after == null';
/** [name, scope, expression]: every one passes on the generated file, so each is evaluated in full. */
const RULES: ReadonlyArray<[string, "operation" | "runner" | "plan", string]> = [
  [
    "allowed-instance-types",
    "operation",
    `${isClass} || op.after.configuration.all(c, c.key != "instanceType" || c.value in ["m6i.large", "m6i.xlarge", "m6i.2xlarge", "m6i.4xlarge", "g5.xlarge"])`,
  ],
  [
    "no-pat-on-github-com",
    "operation",
    `!(op.kind == "scmIntegration" && op.after != null && op.after.host == "github.com" && op.after.pat) || (op.before != null && has(op.before.pat) && op.before.pat)`,
  ],
  [
    "disk-at-most-2000",
    "operation",
    `${isClass} || op.after.configuration.all(c, c.key != "diskSize" || int(c.value) <= 2000)`,
  ],
  ["class-name-prefix", "operation", `${isClass} || op.after.displayName.startsWith("Class ")`],
  [
    "class-description",
    "operation",
    `${isClass} || (has(op.after.description) && size(op.after.description) >= 3)`,
  ],
  [
    "no-spot-gpus",
    "operation",
    `${isClass} || !op.after.configuration.exists(c, c.key == "instanceType" && c.value.startsWith("p4"))`,
  ],
  [
    "oauth-client-id-shape",
    "operation",
    `${isIntegration} || !has(op.after.oauth) || op.after.oauth.clientId.matches("^[A-Za-z0-9._-]+$")`,
  ],
  [
    "known-scm-hosts",
    "operation",
    `${isIntegration} || op.after.host.endsWith(".bench.example") || op.after.host in ["github.com", "gitlab.com"]`,
  ],
  ["no-integration-deletes", "operation", `op.action != "delete" || op.kind != "scmIntegration"`],
  ["destructive-needs-flag", "operation", "!op.destructive || plan.options.allowDestructive"],
  ["few-changes-per-item", "operation", "size(op.changes) <= 20"],
  ["bench-runners-only", "operation", 'op.runner.startsWith("b0000000-")'],
  ["no-class-replace", "operation", 'op.action != "replace" || op.kind != "environmentClass"'],
  ["short-keys", "operation", "size(op.key) <= 200"],
  ["classes-per-runner", "runner", "runner.counts.environmentClass <= 5000"],
  ["integrations-per-runner", "runner", "runner.counts.scmIntegration <= 500"],
  ["runner-names", "runner", 'runner.name.startsWith("bench-")'],
  ["nothing-destructive-on-fridays", "plan", 'run.weekday != "Friday" || size(plan.destructive) == 0'],
  ["freeze-over", "plan", 'plan.operations == 0 || run.date >= "2020-01-01"'],
  ["any-hour", "plan", "run.hour >= 0 && run.hour <= 23"],
];

function benchPolicyFile(): string {
  const rules = RULES.map(
    ([name, scope, expression]) =>
      `  - name: ${name}\n    description: ${name.replace(/-/g, " ")}\n    scope: ${scope}\n    expression: ${JSON.stringify(expression)}\n`,
  );
  return `version: 1\ntimezone: Europe/Berlin\nrules:\n${rules.join("")}`;
}

export async function runPolicies(options: PoliciesOptions): Promise<{ report: ScenarioReport }> {
  const shape = shapeFor(options.objects, options.runners);
  const runners = generateDesiredState(shape);
  const objects = objectCount(shape);
  const dir = mkdtempSync(join(tmpdir(), "runner-config-policies-"));
  try {
    const file = join(dir, "runner-config.yaml");
    const policies = join(dir, "policies.yaml");
    writeFileSync(file, toRunnerConfigYaml(runners));
    writeFileSync(policies, benchPolicyFile());
    const runs: PolicyCostStats[] = [];
    const load: number[] = [];
    for (let run = 0; run < Math.max(1, options.runs); run++) {
      const emu = await startEmulator({ latencyMs: 0 });
      try {
        prepareEmulator(emu, runners);
        load.push(loadNow());
        runs.push(
          await runChild<PolicyCostStats>("policy-cost", {
            BENCH_GITPOD_URL: emu.url,
            BENCH_GITPOD_TOKEN: emu.token,
            BENCH_CONFIG_PATH: file,
            BENCH_POLICY_PATH: policies,
          }),
        );
      } finally {
        await emu.close();
      }
    }
    const planCpu = spread(runs.map((r) => r.planCpuMs));
    const policyCpu = spread(runs.map((r) => r.policyCpuMs));
    const share = policyCpu.median / planCpu.median;
    const first = runs[0];
    const allPassed = runs.every((r) => r.notPassed === 0 && r.rules === RULES.length);
    const n = objects.toLocaleString("en-US");
    const rows: Row[] = [
      {
        scenario: "8 policies",
        measure: `${RULES.length} rules over a plan of ${n} new objects (${first?.pending ?? 0} pending)`,
        value: `CPU ${spreadText(policyCpu)}`,
        reference: `plan CPU ${ms(planCpu.median)}`,
        ratio: `${(share * 100).toFixed(1)}%`,
        target: `<= ${TARGET_SHARE * 100}% of the plan's CPU`,
        verdict: verdict(allPassed && share <= TARGET_SHARE),
      },
    ];
    return {
      report: {
        id: "policies",
        title: "Policy rules",
        rows,
        requests: [],
        data: { options, objects, runs },
        notes: [
          `${options.runs} run(s) (median, min..max), a fresh process per run, no latency; load average before each run ${load.map((l) => l.toFixed(2)).join("/")}. The rules' CPU is compiling the policy file and evaluating every rule (14 per operation, 3 per runner, 3 per plan) on the plan; the runners' state they see is read again before, untimed.${allPassed ? "" : " Some rule did not pass on the generated file: the run is not valid (MISS)."}`,
        ],
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
