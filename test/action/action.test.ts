/**
 * The built action (dist/index.js) run as the GitHub runner runs it, against the emulator: plan,
 * apply, idempotent re-apply, replace, prune, destructive refusal, drift, outputs and job summary.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type Emulator,
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  startEmulator,
} from "../emulator/index.js";
import { FAST_CLIENT_ENV, runAction } from "../support/run-action.js";

const CONFIG = `version: 1
runners:
  - id: ${RUNNER_EU_ID}
    name: aws-eu
    environmentClasses:
      - displayName: Large Instance
        description: 8 CPU, 32 GiB RAM
        configuration:
          instanceType: m6i.2xlarge
          diskSize: 100
      - displayName: Small Instance
        description: 2 CPU, 8 GiB RAM
        configuration:
          instanceType: m6i.large
    scmIntegrations:
      - scmId: github
        host: github.com
        pat: true
        oauth:
          clientId: ${GITHUB_OAUTH_CLIENT_ID}
          clientSecret: \${OAUTH_SECRET_GITHUB_COM}
`;

let emu: Emulator;

beforeEach(async () => {
  emu = await startEmulator();
});
afterEach(async () => {
  await emu.close();
});

function action(config: string, inputs: Record<string, string>, env: Record<string, string> = {}) {
  return runAction({
    configYaml: config,
    api: emu,
    inputs,
    env: { OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET, ...FAST_CLIENT_ENV, ...env },
  });
}

function classesNamed(name: string) {
  return [...emu.state.environmentClasses.values()].filter((c) => c.displayName === name);
}

describe("the action, run as the GitHub runner runs it", () => {
  it("plans without writing: outputs, job summary table and log", async () => {
    const result = await action(CONFIG, { mode: "plan" });
    expect(result.code).toBe(0);
    expect(emu.requests.writes()).toHaveLength(0);
    expect(result.outputs.changed).toBe("true");
    const plan = JSON.parse(result.outputs.plan ?? "{}");
    expect(plan.version).toBe(1);
    const actions = plan.runners[0].operations.map((o: { action: string }) => o.action);
    expect(actions).toEqual(["create", "create", "create"]);
    expect(result.outputs.summary).toMatch(/3 to create/);
    expect(result.summary).toMatch(/\| runner \| action \|/);
    expect(result.summary).toContain("Large Instance");
    expect(result.stdout).toContain("oauth.clientSecret: (secret set)");
  });

  it("applies, and a second apply of the same file makes zero write calls", async () => {
    const first = await action(CONFIG, { mode: "apply" });
    expect(first.code).toBe(0);
    expect(first.outputs.changed).toBe("true");
    expect(first.summary).toMatch(/Apply complete: 3 change/);
    expect(first.summary).toMatch(/\| runner \| result \| action \|/);
    expect(first.summary).toMatch(
      /^\| aws-eu \| ✅ done \| create \| environment class \| Large Instance \|/m,
    );
    expect(classesNamed("Large Instance")).toHaveLength(1);
    const integration = [...emu.state.scmIntegrations.values()][0];
    expect(integration?.host).toBe("github.com");
    expect(emu.state.decryptClientSecret(integration?.id ?? "")).toBe(GITHUB_OAUTH_SECRET);

    emu.requests.clear();
    const second = await action(CONFIG, { mode: "apply" });
    expect(second.code).toBe(0);
    expect(emu.requests.writes()).toHaveLength(0);
    expect(second.outputs.changed).toBe("false");
    expect(second.outputs.summary).toMatch(/No changes/);
    expect(second.summary).toMatch(/No changes/);
  });

  it("replaces an environment class whose configuration changed: new class, old one disabled", async () => {
    expect((await action(CONFIG, { mode: "apply" })).code).toBe(0);
    const oldId = classesNamed("Large Instance")[0]?.id;
    const changed = CONFIG.replace("diskSize: 100", "diskSize: 200");
    const plan = await action(changed, { mode: "plan" });
    expect(plan.stdout).toContain("configuration.diskSize: 100 -> 200");
    const replace = JSON.parse(plan.outputs.plan ?? "{}").runners[0].operations[0];
    expect(replace.action).toBe("replace");

    expect((await action(changed, { mode: "apply" })).code).toBe(0);
    const all = classesNamed("Large Instance");
    expect(all).toHaveLength(2);
    expect(all.find((c) => c.id === oldId)?.enabled).toBe(false);
    const fresh = all.find((c) => c.id !== oldId);
    expect(fresh?.enabled).toBe(true);
    expect(fresh?.configuration).toContainEqual({ key: "diskSize", value: "200" });

    emu.requests.clear();
    const again = await action(changed, { mode: "plan", "fail-on-drift": "true" });
    expect(again.code).toBe(0);
    expect(again.outputs.changed).toBe("false");
  });

  it("fails a drift check when the API drifted from the file, and passes when it matches", async () => {
    expect((await action(CONFIG, { mode: "apply" })).code).toBe(0);
    emu.requests.clear();
    const clean = await action(CONFIG, { mode: "plan", "fail-on-drift": "true" });
    expect(clean.code).toBe(0);

    const stored = classesNamed("Small Instance")[0];
    if (stored) stored.description = "edited by hand in the dashboard";
    const drift = await action(CONFIG, { mode: "plan", "fail-on-drift": "true" });
    expect(drift.code).toBe(1);
    expect(drift.stdout).toMatch(/::error::drift: Plan: 1 to update/);
    expect(drift.stdout).toContain('description: "edited by hand in the dashboard" -> "2 CPU, 8 GiB RAM"');
    expect(drift.outputs.changed).toBe("true");
    expect(emu.requests.writes()).toHaveLength(0);
  });

  it("leaves objects that are only in the API alone unless prune, and refuses a destructive prune", async () => {
    expect((await action(CONFIG, { mode: "apply" })).code).toBe(0);
    emu.state.seedEnvironmentClass({
      runnerId: RUNNER_EU_ID,
      displayName: "Legacy",
      configuration: [{ key: "instanceType", value: "m6i.large" }],
    });
    const gitlab = emu.state.seedScmIntegration({
      runnerId: RUNNER_EU_ID,
      scmId: "gitlab",
      host: "gitlab.com",
      pat: true,
    });
    emu.state.seedHostToken({
      runnerId: RUNNER_EU_ID,
      host: "gitlab.com",
      source: "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT",
      token: "t1",
    });
    emu.state.seedHostToken({
      runnerId: RUNNER_EU_ID,
      host: "gitlab.com",
      source: "HOST_AUTHENTICATION_TOKEN_SOURCE_OAUTH",
      token: "t2",
    });

    emu.requests.clear();
    const untouched = await action(CONFIG, { mode: "apply" });
    expect(untouched.code).toBe(0);
    expect(emu.requests.writes()).toHaveLength(0);

    const refused = await action(CONFIG, { mode: "apply", prune: "true" });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/destructive operation\(s\) refused; nothing was changed/);
    expect(refused.stdout).toContain(
      "deletes the integration; 2 users' tokens for gitlab.com stop working and those users must sign in again",
    );
    expect(emu.requests.writes()).toHaveLength(0);

    const pruned = await action(CONFIG, { mode: "apply", prune: "true", "allow-destructive": "true" });
    expect(pruned.code).toBe(0);
    expect(classesNamed("Legacy")[0]?.enabled).toBe(false);
    expect(emu.state.scmIntegrations.has(gitlab.id)).toBe(false);
  });

  it("refuses to turn PAT support off without allow-destructive, saying how many tokens it deletes", async () => {
    expect((await action(CONFIG, { mode: "apply" })).code).toBe(0);
    for (const token of ["a", "b", "c"]) {
      emu.state.seedHostToken({
        runnerId: RUNNER_EU_ID,
        host: "github.com",
        source: "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT",
        token,
      });
    }
    const noPat = CONFIG.replace("pat: true", "pat: false");
    emu.requests.clear();
    const refused = await action(noPat, { mode: "apply" });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("turns PAT support off");
    expect(refused.stdout).toContain(
      "turns PAT support off; 3 users' PAT tokens for github.com are deleted with it and those users must sign in again",
    );
    expect(refused.summary).toContain("refused");
    expect(emu.requests.writes()).toHaveLength(0);
    expect(emu.state.hostTokens.size).toBe(3);

    const allowed = await action(noPat, { mode: "apply", "allow-destructive": "true" });
    expect(allowed.code).toBe(0);
    expect(emu.state.hostTokens.size).toBe(0);
  });

  it("reports validation errors as annotations on the file's lines and writes nothing", async () => {
    const bad = CONFIG.replace("diskSize: 100", "diskSize: 5").replace("pat: true", "pat: yes please");
    const result = await action(bad, { mode: "apply" });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /::error title=runner-config,file=\.gitpod\/runner-config\.yaml,line=18,col=\d+::/,
    );
    expect(emu.requests.writes()).toHaveLength(0);
    expect(result.summary).toMatch(/nothing was changed/);

    const schemaBad = CONFIG.replace("diskSize: 100", "diskSize: 5");
    const second = await action(schemaBad, { mode: "plan" });
    expect(second.code).toBe(1);
    expect(second.stdout).toMatch(
      /::error title=runner-config,file=\.gitpod\/runner-config\.yaml,line=10,col=\d+::.*diskSize/,
    );
  });

  it("names the input when an input is wrong", async () => {
    const mode = await action(CONFIG, { mode: "destroy" });
    expect(mode.code).toBe(1);
    expect(mode.stdout).toMatch(/::error::input mode must be one of/);
    const concurrency = await action(CONFIG, { mode: "plan", concurrency: "zero" });
    expect(concurrency.stdout).toMatch(/::error::input concurrency must be an integer/);
    const prune = await action(CONFIG, { mode: "plan", prune: "sometimes" });
    expect(prune.stdout).toMatch(/::error::input prune must be true or false/);
    const missing = await action(CONFIG, { mode: "plan", config: "nope.yaml" });
    expect(missing.stdout).toContain("::error::config file nope.yaml does not exist (ENOENT) (input config)");
    expect(emu.requests.count()).toBe(0);
  });

  it("leaves a job summary that says the run failed and why, never an empty one", async () => {
    const badInput = await action(CONFIG, { mode: "destroy" });
    expect(badInput.code).toBe(1);
    expect(badInput.summary).toContain("### Gitpod runner configuration: the run failed");
    expect(badInput.summary).toContain("input mode must be one of");
    const missing = await action(CONFIG, { mode: "plan", config: "nope.yaml" });
    expect(missing.code).toBe(1);
    expect(missing.summary.trim()).not.toBe("");
    const rejected = await action(CONFIG, { mode: "plan", "api-token": "canary-rejected-token-1f2e" });
    expect(rejected.code).toBe(1);
    expect(rejected.summary.trim()).not.toBe("");
    expect(rejected.summary).not.toContain("canary-rejected-token-1f2e");
  });
});
