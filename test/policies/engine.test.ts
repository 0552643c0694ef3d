/** The policy engine on crafted plans: each example rule fails and passes; files that cannot compile say where. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { EnvironmentClass } from "../../shared/api/resources/environment-classes.wire.js";
import type { ScmIntegration } from "../../shared/api/resources/scm-integrations.wire.js";
import { evaluatePolicies, policiesAllowApply, runVariable } from "../../shared/policies/evaluate.js";
import { loadPolicies, PolicyFileError } from "../../shared/policies/load.js";
import { policyMarkdown, policyTextLines } from "../../shared/policies/report.js";
import type { RunnerState } from "../../shared/sync/current-state.js";
import type { Operation, Plan } from "../../shared/sync/plan-types.js";

const RUNNER = "d2c94c27-3b76-4a42-b88c-95a85e392c68";
const EXAMPLE = "examples/policies.yaml";
const examples = loadPolicies(EXAMPLE, readFileSync(EXAMPLE, "utf8"));
/** A Wednesday noon in Berlin, after the example's freeze. */
const WEDNESDAY = new Date("2027-01-13T11:00:00Z");
/** A Friday afternoon in Berlin, after the freeze. */
const FRIDAY = new Date("2027-01-15T14:00:00Z");
/** During the freeze (a Tuesday). */
const IN_FREEZE = new Date("2026-12-22T10:00:00Z");

function plan(operations: Operation[]): Plan {
  return {
    version: 1,
    file: "runner-config.yaml",
    options: { prune: true, allowDestructive: true, rotateSecrets: false },
    runners: [{ runnerId: RUNNER, runnerName: "aws-eu", operations }],
  };
}

function createClass(name: string, instanceType: string): Operation {
  return {
    kind: "environmentClass",
    action: "create",
    runnerId: RUNNER,
    key: name,
    changes: [],
    desired: {
      displayName: name,
      enabled: true,
      configuration: [
        { key: "instanceType", value: instanceType },
        { key: "diskSize", value: "50" },
      ],
    },
  };
}

function scm(action: "create" | "update", pat: boolean, currentId?: string): Operation {
  return {
    kind: "scmIntegration",
    action,
    runnerId: RUNNER,
    key: "github@github.com",
    ...(currentId ? { currentId } : {}),
    changes: action === "update" ? [{ field: "pat", from: String(!pat), to: String(pat) }] : [],
    desired: { scmId: "github", host: "github.com", pat },
  };
}

function liveClass(id: string, enabled = true): EnvironmentClass {
  return {
    id,
    runnerId: RUNNER,
    displayName: id,
    enabled,
    configuration: [{ key: "instanceType", value: "m6i.large" }],
  };
}

function states(classes: EnvironmentClass[] = [], integrations: ScmIntegration[] = []) {
  return new Map<string, RunnerState>([
    [RUNNER, { runnerId: RUNNER, schema: {}, environmentClasses: classes, scmIntegrations: integrations }],
  ]);
}

function resultOf(name: string, report: ReturnType<typeof evaluatePolicies>) {
  const rule = report.rules.find((candidate) => candidate.name === name);
  if (!rule) throw new Error(`no rule ${name}`);
  return rule;
}

describe("the example rules", () => {
  it("allowed-instance-types fails on another instance type and names the operation", () => {
    const report = evaluatePolicies(
      examples,
      plan([createClass("Huge", "x2iedn.32xlarge")]),
      states(),
      WEDNESDAY,
    );
    const rule = resultOf("allowed-instance-types", report);
    expect(rule.status).toBe("failed");
    expect(rule.violations).toEqual([`create environment class "Huge" on runner ${RUNNER}`]);
    expect(report.failures).toBe(1);
    expect(policiesAllowApply(report)).toBe(false);
    const passing = evaluatePolicies(
      examples,
      plan([createClass("Small", "m6i.large")]),
      states(),
      WEDNESDAY,
    );
    expect(resultOf("allowed-instance-types", passing).status).toBe("passed");
    expect(passing.failures).toBe(0);
    expect(policiesAllowApply(passing)).toBe(true);
  });

  it("no-pat-on-github-com fails when PATs are turned on, passes when they were on already or stay off", () => {
    const live: ScmIntegration = {
      id: "scm-1",
      runnerId: RUNNER,
      scmId: "github",
      host: "github.com",
      pat: false,
    };
    const turnedOn = evaluatePolicies(
      examples,
      plan([scm("update", true, "scm-1")]),
      states([], [live]),
      WEDNESDAY,
    );
    expect(resultOf("no-pat-on-github-com", turnedOn).status).toBe("failed");
    const created = evaluatePolicies(examples, plan([scm("create", true)]), states(), WEDNESDAY);
    expect(resultOf("no-pat-on-github-com", created).status).toBe("failed");
    const wasOn = evaluatePolicies(
      examples,
      plan([{ ...scm("update", true, "scm-1"), changes: [{ field: "virtualDirectory", to: "/x" }] }]),
      states([], [{ ...live, pat: true }]),
      WEDNESDAY,
    );
    expect(resultOf("no-pat-on-github-com", wasOn).status).toBe("passed");
    const off = evaluatePolicies(examples, plan([scm("create", false)]), states(), WEDNESDAY);
    expect(resultOf("no-pat-on-github-com", off).status).toBe("passed");
  });

  it("at-most-20-classes counts the runner after the plan: live enabled classes, creates and disables", () => {
    const live = Array.from({ length: 20 }, (_, index) => liveClass(`c${index}`));
    const oneMore = evaluatePolicies(
      examples,
      plan([createClass("Extra", "m6i.large")]),
      states(live),
      WEDNESDAY,
    );
    const rule = resultOf("at-most-20-classes", oneMore);
    expect(rule.status).toBe("failed");
    expect(rule.violations).toEqual([`runner ${RUNNER}`]);
    const disableOne: Operation = {
      kind: "environmentClass",
      action: "disable",
      runnerId: RUNNER,
      key: "c0",
      currentId: "c0",
      changes: [],
    };
    const swap = evaluatePolicies(
      examples,
      plan([createClass("Extra", "m6i.large"), disableOne]),
      states(live),
      WEDNESDAY,
    );
    expect(resultOf("at-most-20-classes", swap).status).toBe("passed");
    const disabledDoNotCount = evaluatePolicies(
      examples,
      plan([createClass("Extra", "m6i.large")]),
      states([...live.slice(1), liveClass("off", false)]),
      WEDNESDAY,
    );
    expect(resultOf("at-most-20-classes", disabledDoNotCount).status).toBe("passed");
  });

  it("nothing-destructive-on-fridays fails on a Friday in the file's time zone, passes otherwise", () => {
    const deletion: Operation = {
      ...scm("update", false, "scm-1"),
      action: "delete",
      destructive: { reason: "deletes the integration", deletes: "users sign in again" },
    };
    const friday = evaluatePolicies(examples, plan([deletion]), states(), FRIDAY);
    expect(resultOf("nothing-destructive-on-fridays", friday).status).toBe("failed");
    expect(resultOf("nothing-destructive-on-fridays", friday).violations).toEqual(["the plan"]);
    expect(
      resultOf(
        "nothing-destructive-on-fridays",
        evaluatePolicies(examples, plan([deletion]), states(), WEDNESDAY),
      ).status,
    ).toBe("passed");
    expect(
      resultOf(
        "nothing-destructive-on-fridays",
        evaluatePolicies(examples, plan([createClass("A", "m6i.large")]), states(), FRIDAY),
      ).status,
    ).toBe("passed");
    // 23:30 UTC on a Thursday is already Friday in Berlin.
    expect(runVariable(new Date("2027-01-14T23:30:00Z"), "Europe/Berlin")).toMatchObject({
      weekday: "Friday",
      hour: 0n,
      date: "2027-01-15",
    });
  });

  it("change-freeze warns until its date without blocking, and passes after it or when nothing changes", () => {
    const during = evaluatePolicies(examples, plan([createClass("A", "m6i.large")]), states(), IN_FREEZE);
    expect(resultOf("change-freeze", during).status).toBe("failed");
    expect(during.warnings).toBe(1);
    expect(during.failures).toBe(0);
    expect(policiesAllowApply(during)).toBe(true);
    expect(resultOf("change-freeze", evaluatePolicies(examples, plan([]), states(), IN_FREEZE)).status).toBe(
      "passed",
    );
    expect(
      resultOf(
        "change-freeze",
        evaluatePolicies(examples, plan([createClass("A", "m6i.large")]), states(), WEDNESDAY),
      ).status,
    ).toBe("passed");
  });

  it("an override lets apply go ahead and is said in the report", () => {
    const report = evaluatePolicies(
      examples,
      plan([createClass("Huge", "x1.huge")]),
      states(),
      WEDNESDAY,
      "incident 42",
    );
    expect(policiesAllowApply(report)).toBe(true);
    expect(policyTextLines(report).join("\n")).toContain(
      "Policy override: apply went ahead despite 1 failing rule(s), for the reason: incident 42",
    );
    expect(policyMarkdown(report)).toContain("incident 42");
  });
});

describe("what a rule sees", () => {
  it("op.before has no secret or encrypted field", () => {
    const set = loadPolicies(
      "p.yaml",
      "rules:\n  - name: no-secret\n    description: d\n    expression: '!has(op.before.oauthEncryptedClientSecret) && !has(op.before.oauthPlaintextClientSecret) && op.before.oauthClientId == \"cid\"'\n",
    );
    const live = {
      id: "scm-1",
      runnerId: RUNNER,
      host: "github.com",
      oauthClientId: "cid",
      oauthEncryptedClientSecret: "ENC-CANARY",
      oauthPlaintextClientSecret: "PLAIN-CANARY",
    } as ScmIntegration;
    const report = evaluatePolicies(
      set,
      plan([scm("update", false, "scm-1")]),
      states([], [live]),
      WEDNESDAY,
    );
    expect(report.rules[0]?.status).toBe("passed");
  });

  it("run.time is a timestamp: a freeze until a moment passes before it and fails after", () => {
    const set = loadPolicies(
      "p.yaml",
      "rules:\n  - name: until\n    description: d\n    scope: plan\n    expression: 'run.time < timestamp(\"2027-01-01T00:00:00Z\")'\n",
    );
    const at = (iso: string) => evaluatePolicies(set, plan([]), states(), new Date(iso)).rules[0]?.status;
    expect(at("2026-12-31T23:59:00Z")).toBe("passed");
    expect(at("2027-01-01T00:00:01Z")).toBe("failed");
  });

  it("a rule that gives something other than a boolean at run time is an error, which blocks", () => {
    const set = loadPolicies(
      "p.yaml",
      "rules:\n  - name: dyn\n    description: d\n    expression: op.after.displayName\n",
    );
    const report = evaluatePolicies(set, plan([createClass("A", "m6i.large")]), states(), WEDNESDAY);
    expect(report.rules[0]).toMatchObject({ status: "error" });
    expect(report.rules[0]?.error).toContain("not true or false");
    expect(report.failures).toBe(1);
  });

  it("descriptions from the file are escaped in markdown", () => {
    const set = loadPolicies(
      "p.yaml",
      "rules:\n  - name: md\n    description: '<img src=x> [link](http://e) @team'\n    expression: 'false'\n    scope: plan\n",
    );
    const markdown = policyMarkdown(evaluatePolicies(set, plan([]), states(), WEDNESDAY));
    expect(markdown).not.toContain("<img");
    expect(markdown).not.toContain("[link]");
    expect(markdown).toContain("### Policies");
  });
});

describe("a policy file that cannot be used is refused at its line", () => {
  const issuesOf = (text: string) => {
    try {
      loadPolicies("policies.yaml", text);
    } catch (error) {
      if (error instanceof PolicyFileError) return error.issues;
      throw error;
    }
    throw new Error("loaded");
  };

  it("a syntax error", () => {
    const issues = issuesOf(
      "rules:\n  - name: ok\n    description: d\n    expression: 'true'\n  - name: broken\n    description: d\n    expression: 'op.kind =='\n",
    );
    expect(issues).toEqual([
      expect.objectContaining({
        line: 7,
        path: "rules[1].expression",
        message: expect.stringContaining("does not compile"),
      }),
    ]);
  });

  it("a result that is not a boolean", () => {
    const issues = issuesOf(
      "rules:\n  - name: count\n    description: d\n    scope: runner\n    expression: 'runner.counts.environmentClass + 1'\n",
    );
    expect(issues).toEqual([
      expect.objectContaining({ line: 5, message: "must be true or false, and this expression gives int" }),
    ]);
  });

  it("a variable its scope does not see", () => {
    const issues = issuesOf(
      "rules:\n  - name: p\n    description: d\n    scope: plan\n    expression: 'op.kind == \"x\"'\n",
    );
    expect(issues[0]?.message).toContain("a rule of scope plan sees plan, run");
  });

  it("unknown fields, bad severity, a duplicate name and a bad time zone", () => {
    const issues = issuesOf(
      "timezone: Mars/Olympus\nrules:\n  - name: a\n    description: d\n    severity: fatal\n    expression: 'true'\n  - name: b\n    description: d\n    expresion: 'true'\n",
    );
    expect(issues.map((issue) => [issue.line, issue.path])).toEqual([
      [1, "timezone"],
      [5, "rules[0].severity"],
      [9, "rules[1].expresion"],
      [7, "rules[1].expression"],
    ]);
  });
});
