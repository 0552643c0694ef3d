/** The plan as pure data: field-level diffs, API facts it must respect, and its cost at scale. */
import { describe, expect, it } from "vitest";
import type { EnvironmentClass } from "../../shared/api/resources/environment-classes.wire.js";
import type { HostAuthenticationToken } from "../../shared/api/resources/host-authentication-tokens.wire.js";
import type { LlmIntegration } from "../../shared/api/resources/llm-integrations.wire.js";
import type { ScmIntegration } from "../../shared/api/resources/scm-integrations.wire.js";
import type { DesiredState } from "../../shared/config/desired-state.js";
import { loadRunnerConfig } from "../../shared/config/load.js";
import type { DesiredEnvironmentClass } from "../../shared/kinds/environment-classes/file-format.js";
import { kindOf } from "../../shared/kinds/registry.js";
import type { DesiredScmIntegration } from "../../shared/kinds/scm-integrations/file-format.js";
import type { RunnerState } from "../../shared/sync/current-state.js";
import { buildPlan } from "../../shared/sync/plan.js";
import type { PlanOptions } from "../../shared/sync/plan-base.js";
import { formatPlanMarkdown } from "../../shared/sync/plan-markdown.js";
import { formatPlanText } from "../../shared/sync/plan-text.js";
import { countByAction, refusedOperations } from "../../shared/sync/plan-types.js";

const RUNNER = "d2c94c27-3b76-4a42-b88c-95a85e392c68";
const OPTIONS: PlanOptions = { prune: false, allowDestructive: false, rotateSecrets: false };

function desiredClass(
  name: string,
  configuration: Record<string, string>,
  extra: Partial<DesiredEnvironmentClass> = {},
) {
  return {
    displayName: name,
    description: undefined,
    enabled: true,
    configuration,
    path: "p",
    line: 1,
    lines: {},
    columns: {},
    ...extra,
  };
}

function desiredScm(host: string, extra: Partial<DesiredScmIntegration> = {}): DesiredScmIntegration {
  return {
    scmId: "github",
    host,
    pat: true,
    oauth: undefined,
    virtualDirectory: undefined,
    path: "s",
    line: 1,
    lines: {},
    columns: {},
    ...extra,
  };
}

function state(
  environmentClasses: EnvironmentClass[],
  scmIntegrations: ScmIntegration[] = [],
  runnerId = RUNNER,
) {
  return new Map<string, RunnerState>([
    [runnerId, { runnerId, schema: {}, environmentClasses, scmIntegrations }],
  ]);
}

function desired(
  classes: DesiredEnvironmentClass[],
  integrations: DesiredScmIntegration[] = [],
): DesiredState {
  return {
    file: "config.yaml",
    runners: [
      {
        file: "config.yaml",
        id: RUNNER,
        name: "aws-eu",
        environmentClasses: classes,
        scmIntegrations: integrations,
        hostAuthenticationTokens: [],
        llmIntegrations: [],
        path: "r",
        line: 1,
      },
    ],
  };
}

const config = (values: Record<string, string>) =>
  Object.entries(values).map(([key, value]) => ({ key, value }));

describe("plan", () => {
  it("shows a description change field by field and an unchanged class as no-op", () => {
    const current = state([
      {
        id: "a",
        runnerId: RUNNER,
        displayName: "Large",
        description: "8 CPU",
        enabled: true,
        configuration: config({ instanceType: "m6i.2xlarge" }),
      },
      {
        id: "b",
        runnerId: RUNNER,
        displayName: "Small",
        enabled: true,
        configuration: config({ instanceType: "m6i.large" }),
      },
    ]);
    const plan = buildPlan(
      desired([
        desiredClass("Large", { instanceType: "m6i.2xlarge" }, { description: "8 CPU, 32 GiB RAM" }),
        desiredClass("Small", { instanceType: "m6i.large" }),
      ]),
      current,
      OPTIONS,
    );
    const [large, small] = plan.runners[0]?.operations ?? [];
    expect(large?.action).toBe("update");
    expect(large?.changes).toEqual([{ field: "description", from: "8 CPU", to: "8 CPU, 32 GiB RAM" }]);
    expect(small?.action).toBe("no-op");
    expect(formatPlanText(plan)).toContain('description: "8 CPU" -> "8 CPU, 32 GiB RAM"');
  });

  it("replaces on a configuration change, and is a no-op once the old class is disabled", () => {
    const before = state([
      {
        id: "old",
        runnerId: RUNNER,
        displayName: "Large",
        enabled: true,
        configuration: config({ instanceType: "m6i.xlarge" }),
      },
    ]);
    const want = desired([desiredClass("Large", { instanceType: "m6i.2xlarge" })]);
    const plan = buildPlan(want, before, OPTIONS);
    expect(plan.runners[0]?.operations[0]).toMatchObject({
      action: "replace",
      currentId: "old",
      changes: [{ field: "configuration.instanceType", from: "m6i.xlarge", to: "m6i.2xlarge" }],
    });
    const after = state([
      {
        id: "old",
        runnerId: RUNNER,
        displayName: "Large",
        enabled: false,
        configuration: config({ instanceType: "m6i.xlarge" }),
      },
      {
        id: "new",
        runnerId: RUNNER,
        displayName: "Large",
        enabled: true,
        configuration: config({ instanceType: "m6i.2xlarge" }),
      },
    ]);
    const second = buildPlan(want, after, { ...OPTIONS, prune: true });
    expect(second.runners[0]?.operations.map((o) => o.action)).toEqual(["no-op"]);
  });

  it("prunes an unlisted class by disabling it, and only with prune", () => {
    const current = state([
      { id: "x", runnerId: RUNNER, displayName: "Legacy", enabled: true, configuration: [] },
    ]);
    expect(buildPlan(desired([]), current, OPTIONS).runners[0]?.operations).toEqual([]);
    const pruned = buildPlan(desired([]), current, { ...OPTIONS, prune: true });
    expect(pruned.runners[0]?.operations[0]).toMatchObject({ action: "disable", currentId: "x" });
    expect(pruned.runners[0]?.operations[0]?.destructive).toBeUndefined();
  });

  it("sends an OAuth secret only on create, on a client id change or on rotation", () => {
    const oauth = { clientId: "cid", clientSecretEnv: "SECRET_VAR", issuerUrl: undefined };
    const existing: ScmIntegration = {
      id: "s",
      runnerId: RUNNER,
      scmId: "github",
      host: "github.com",
      pat: true,
      oauth: { clientId: "cid", encryptedClientSecret: "ZW5j" },
    };
    const same = buildPlan(
      desired([], [desiredScm("github.com", { oauth })]),
      state([], [existing]),
      OPTIONS,
    );
    expect(same.runners[0]?.operations[0]?.action).toBe("no-op");
    const rotated = buildPlan(desired([], [desiredScm("github.com", { oauth })]), state([], [existing]), {
      ...OPTIONS,
      rotateSecrets: true,
    });
    expect(rotated.runners[0]?.operations[0]?.changes).toEqual([
      { field: "oauth.clientSecret", to: "(secret rotated)" },
    ]);
    const newClient = buildPlan(
      desired([], [desiredScm("github.com", { oauth: { ...oauth, clientId: "cid2" } })]),
      state([], [existing]),
      OPTIONS,
    );
    expect(newClient.runners[0]?.operations[0]?.changes.map((c) => c.field)).toEqual([
      "oauth.clientId",
      "oauth.clientSecret",
    ]);
    // The plan holds the variable's name, never a value.
    expect(JSON.stringify(rotated)).toContain("SECRET_VAR");
  });

  it("flags removing OAuth, PAT off and deleting as destructive, counting the tokens each deletes", () => {
    const existing: ScmIntegration[] = [
      {
        id: "s",
        runnerId: RUNNER,
        scmId: "github",
        host: "github.com",
        pat: true,
        oauth: { clientId: "cid" },
      },
      { id: "t", runnerId: RUNNER, scmId: "gitlab", host: "gitlab.com", pat: true },
    ];
    const tokens: HostAuthenticationToken[] = [
      { id: "1", host: "github.com", source: "HOST_AUTHENTICATION_TOKEN_SOURCE_OAUTH" },
      { id: "2", host: "GitHub.com", source: "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT" },
      { id: "3", host: "github.com", source: "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT" },
      { id: "4", host: "gitlab.com", source: "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT" },
    ];
    // The engine reads the tokens into the runner's state only when a plan would delete some.
    const current = state([], existing);
    for (const runnerState of current.values()) runnerState.hostTokensToCount = tokens;
    const plan = buildPlan(desired([], [desiredScm("github.com", { pat: false })]), current, {
      ...OPTIONS,
      prune: true,
    });
    const [github, gitlab] = plan.runners[0]?.operations ?? [];
    expect(github?.destructive?.reason).toBe("turns PAT support off and removes OAuth");
    expect(github?.destructive?.deletes).toBe(
      "2 users' PAT tokens and 1 user's OAuth token for github.com are deleted with it and those users must sign in again",
    );
    expect(gitlab).toMatchObject({
      action: "delete",
      destructive: {
        reason: "deletes the integration",
        deletes: "1 user's token for gitlab.com stops working and that user must sign in again",
      },
    });
    expect(refusedOperations(plan)).toHaveLength(2);
    expect(refusedOperations({ ...plan, options: { ...plan.options, allowDestructive: true } })).toHaveLength(
      0,
    );
    expect(formatPlanMarkdown(plan)).toContain("**refused**");
  });
});

describe("plan at scale", () => {
  it("plans 10,000 objects in well under 2 s of CPU", () => {
    const runners = 20;
    const perRunner = 250; // classes and as many integrations: 20 x 500 = 10,000 objects
    const desiredState: DesiredState = { file: "big.yaml", runners: [] };
    const current = new Map<string, RunnerState>();
    for (let r = 0; r < runners; r++) {
      const runnerId = `runner-${r}`;
      const classes: DesiredEnvironmentClass[] = [];
      const integrations: DesiredScmIntegration[] = [];
      const currentClasses: EnvironmentClass[] = [];
      const currentIntegrations: ScmIntegration[] = [];
      for (let i = 0; i < perRunner; i++) {
        const configuration = { instanceType: "m6i.large", diskSize: String(50 + i), spot: "false" };
        classes.push(desiredClass(`Class ${i}`, configuration, { description: `class ${i}` }));
        integrations.push(desiredScm(`scm-${i}.example.com`));
        // A third already matches, a third drifted, a third is missing.
        if (i % 3 === 0)
          currentClasses.push({
            id: `c-${r}-${i}`,
            runnerId,
            displayName: `Class ${i}`,
            description: `class ${i}`,
            enabled: true,
            configuration: config(configuration),
          });
        if (i % 3 === 1)
          currentClasses.push({
            id: `c-${r}-${i}`,
            runnerId,
            displayName: `Class ${i}`,
            enabled: true,
            configuration: config({ ...configuration, diskSize: "20" }),
          });
        if (i % 3 !== 2)
          currentIntegrations.push({
            id: `s-${r}-${i}`,
            runnerId,
            scmId: "github",
            host: `scm-${i}.example.com`,
            pat: i % 2 === 0,
          });
      }
      desiredState.runners.push({
        file: desiredState.file,
        id: runnerId,
        name: undefined,
        environmentClasses: classes,
        scmIntegrations: integrations,
        hostAuthenticationTokens: [],
        llmIntegrations: [],
        path: "r",
        line: 1,
      });
      current.set(runnerId, {
        runnerId,
        schema: {},
        environmentClasses: currentClasses,
        scmIntegrations: currentIntegrations,
      });
    }
    const started = process.cpuUsage();
    const plan = buildPlan(desiredState, current, { ...OPTIONS, prune: true });
    const text = formatPlanText(plan);
    const markdown = formatPlanMarkdown(plan);
    const json = JSON.stringify(plan);
    const used = process.cpuUsage(started);
    const cpuMs = (used.user + used.system) / 1000;
    const counts = countByAction(plan);
    expect(counts.create + counts.replace + counts.update + counts["no-op"]).toBe(10_000);
    expect(counts.replace).toBeGreaterThan(0);
    expect(text.length + markdown.length + json.length).toBeGreaterThan(0);
    expect(cpuMs).toBeLessThan(1000);
  });
});

describe("plan: environment classes pinned by id", () => {
  const small = (id: string, displayName: string, enabled = true): EnvironmentClass => ({
    id,
    runnerId: RUNNER,
    displayName,
    enabled,
    configuration: config({ instanceType: "m6i.large" }),
  });

  it("a pinned class keeps its id under a new name, and its old name is free for another entry", () => {
    const current = state([small("pinned", "Small")]);
    const plan = buildPlan(
      desired([
        // Listed first on purpose: without the pin it would match the class named "Small".
        desiredClass("Small", { instanceType: "m6i.large" }),
        desiredClass("Small (legacy)", { instanceType: "m6i.large" }, { id: "pinned" }),
      ]),
      current,
      { ...OPTIONS, prune: true },
    );
    const operations = plan.runners[0]?.operations ?? [];
    expect(operations.map((o) => [o.action, o.key, o.currentId])).toEqual([
      ["create", "Small", undefined],
      ["update", "Small (legacy)", "pinned"],
    ]);
    expect(operations[1]?.changes).toEqual([{ field: "displayName", from: "Small", to: "Small (legacy)" }]);
    expect(countByAction(plan).disable).toBe(0);
  });

  it("plans nothing for a pin the engine refuses (not on the runner, or a new configuration)", () => {
    const current = state([small("pinned", "Small")]);
    const plan = buildPlan(
      desired([
        desiredClass("Gone", { instanceType: "m6i.large" }, { id: "not-here" }),
        desiredClass("Small", { instanceType: "m6i.xlarge" }, { id: "pinned" }),
      ]),
      current,
      { ...OPTIONS, prune: true },
    );
    // Never a create (a second class) and never a disable of the pinned class.
    expect(plan.runners[0]?.operations).toEqual([]);
  });

  it("a create and a prune's disable with the same configuration note the id that would keep the class", () => {
    const current = state([small("old", "Small"), small("other", "Other", false)]);
    const plan = buildPlan(
      desired([desiredClass("Small (legacy)", { instanceType: "m6i.large" })]),
      current,
      {
        ...OPTIONS,
        prune: true,
      },
    );
    const [create, disable] = plan.runners[0]?.operations ?? [];
    expect(create?.action).toBe("create");
    expect(create?.notes?.[0]).toContain('looks like a rename of "Small" (old)');
    expect(create?.notes?.[0]).toContain('add "id: old" to this entry');
    expect(disable).toMatchObject({ action: "disable", currentId: "old" });
    expect(
      buildPlan(desired([desiredClass("Small (legacy)", { instanceType: "m6i.xlarge" })]), current, {
        ...OPTIONS,
        prune: true,
      }).runners[0]?.operations[0]?.notes,
    ).toBeUndefined();
  });
});

describe("plan of LLM integrations", () => {
  const file = (entries: string) =>
    `version: 1\nrunners:\n  - id: ${RUNNER}\n    llmIntegrations:\n${entries}`;
  const entry = (extra = "") =>
    `      - endpoint: https://LLM.example.com/v1/\n        models: [SUPPORTED_MODEL_SONNET_4, SUPPORTED_MODEL_OPUS_9]\n        apiKey: \${LLM_KEY}\n${extra}`;
  const live = (extra: Partial<LlmIntegration> = {}): LlmIntegration => ({
    id: "llm-1",
    runnerId: RUNNER,
    endpoint: "https://llm.example.com/v1",
    models: ["SUPPORTED_MODEL_OPUS_9", "SUPPORTED_MODEL_SONNET_4"],
    maxTokens: 0,
    phase: "LLM_INTEGRATION_PHASE_AVAILABLE",
    requestHeaders: [],
    ...extra,
  });
  const planFor = (text: string, integrations: LlmIntegration[], options: Partial<PlanOptions> = {}) => {
    const loaded = loadRunnerConfig("llm.yaml", text, { LLM_KEY: "canary-plan-llm-key" });
    if (!loaded.desired) throw new Error(JSON.stringify(loaded.issues));
    const current = state([]);
    const runnerState = current.get(RUNNER);
    if (runnerState) runnerState.llmIntegrations = integrations;
    return buildPlan(loaded.desired, current, { ...OPTIONS, ...options });
  };

  it("matches by endpoint (scheme and host ignore case), compares models as a set and sends only the endpoint's spelling", () => {
    const plan = planFor(file(entry()), [live()]);
    const [operation] = plan.runners[0]?.operations ?? [];
    expect(operation).toMatchObject({
      kind: "llmIntegration",
      action: "update",
      currentId: "llm-1",
      updateFields: ["endpoint"],
      changes: [{ field: "endpoint", from: "https://llm.example.com/v1", to: "https://LLM.example.com/v1/" }],
    });
    // A model this version does not know is a warning, never an error.
    expect(operation?.notes?.[0]).toContain(
      "warning: SUPPORTED_MODEL_OPUS_9 is not a model this version knows",
    );
    expect(JSON.stringify(plan)).not.toContain("canary-plan-llm-key");
  });

  it("sends the key of an unchanged integration only with rotate-secrets, planned as rotated", () => {
    const text = file(entry().replace("LLM.example.com/v1/", "llm.example.com/v1"));
    const unchanged = planFor(text, [live()]).runners[0]?.operations[0];
    expect(unchanged).toMatchObject({ action: "no-op" });
    expect(unchanged).not.toHaveProperty("sendApiKey");
    const rotated = planFor(text, [live()], { rotateSecrets: true }).runners[0]?.operations[0];
    expect(rotated).toMatchObject({
      action: "update",
      sendApiKey: true,
      updateFields: [],
      changes: [{ field: "apiKey", to: "(secret rotated)" }],
    });
    expect(kindOf(rotated as never).secretVariables(rotated as never)).toEqual(["LLM_KEY"]);
  });

  it("reports UNAVAILABLE without a change, and changes only enabled ↔ DISABLED", () => {
    const text = file(entry().replace("LLM.example.com/v1/", "llm.example.com/v1"));
    const unavailable = planFor(text, [
      live({ phase: "LLM_INTEGRATION_PHASE_UNAVAILABLE", phaseReason: "insufficient funds" }),
    ]).runners[0]?.operations[0];
    expect(unavailable?.action).toBe("no-op");
    expect(unavailable?.notes).toContain(
      "the service reports it unavailable: insufficient funds (reported, not a change)",
    );
    const disabled = planFor(text, [live({ phase: "LLM_INTEGRATION_PHASE_DISABLED" })]).runners[0]
      ?.operations[0];
    expect(disabled).toMatchObject({ action: "update", updateFields: ["phase"] });
    const stays = planFor(text.concat("        enabled: false\n"), [
      live({ phase: "LLM_INTEGRATION_PHASE_DISABLED" }),
    ]).runners[0]?.operations[0];
    expect(stays?.action).toBe("no-op");
  });

  it("compares headers by name, kind and CEL expression; a literal value is never compared nor shown", () => {
    const text = file(
      entry().replace("LLM.example.com/v1/", "llm.example.com/v1") +
        `        requestHeaders:\n          - name: X-Org\n            value: \${LLM_KEY}\n          - name: X-User\n            celExpression: user.id\n`,
    );
    const headers = [
      { key: "X-Org", headerType: "LLM_INTEGRATION_REQUEST_HEADER_TYPE_LITERAL", value: "[redacted]" },
      { key: "X-User", headerType: "LLM_INTEGRATION_REQUEST_HEADER_TYPE_CEL_EXPRESSION", value: "user.id" },
    ];
    expect(planFor(text, [live({ requestHeaders: headers })]).runners[0]?.operations[0]?.action).toBe(
      "no-op",
    );
    const changed = planFor(text, [live({ requestHeaders: [headers[0] as never] })]).runners[0]
      ?.operations[0];
    expect(changed?.changes).toEqual([{ field: "requestHeaders.X-User", to: "CEL user.id" }]);
    expect(kindOf(changed as never).secretVariables(changed as never)).toEqual(["LLM_KEY"]);
    // The API cannot clear the last header: kept, in words.
    const cleared = planFor(
      file(`${entry().replace("LLM.example.com/v1/", "llm.example.com/v1")}        requestHeaders: []\n`),
      [live({ requestHeaders: headers })],
    ).runners[0]?.operations[0];
    expect(cleared?.action).toBe("no-op");
    expect(cleared?.notes?.join(" ")).toContain("request headers X-Org, X-User are kept");
  });

  it("creates with the key; prunes only with prune, as a destructive delete", () => {
    const created = planFor(file(entry()), []).runners[0]?.operations[0];
    expect(created).toMatchObject({ action: "create", sendApiKey: true });
    expect(created?.changes).toContainEqual({ field: "apiKey", to: "(secret set)" });
    const other = live({ id: "llm-2", endpoint: "https://other.example.com" });
    const kept = planFor(file(entry()), [live(), other]);
    expect(kept.runners[0]?.operations.map((o) => o.action)).toEqual(["update"]);
    const pruned = planFor(file(entry()), [live(), other], { prune: true });
    const deleted = pruned.runners[0]?.operations[1];
    expect(deleted).toMatchObject({ action: "delete", currentId: "llm-2" });
    expect(deleted?.destructive?.deletes).toContain("lose their model");
    expect(refusedOperations(pruned)).toHaveLength(1);
  });
});
