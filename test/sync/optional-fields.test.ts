/**
 * The spec marks almost every response field optional. A proxy in front of the emulator removes one
 * such field at a time from the answers, and plan and apply must still end in words: never a crash,
 * never `internal: response field ...`.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { GitpodClient } from "../../shared/api/index.js";
import { runSync, type SyncMode, type SyncResult } from "../../shared/sync/engine.js";
import { formatApplyText, formatIssuesText } from "../../shared/sync/format.js";
import { formatPlanText } from "../../shared/sync/plan-text.js";
import {
  type Emulator,
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  RUNNER_US_ID,
  startEmulator,
} from "../emulator/index.js";
import { type StrippingProxy, type StripRule, startStrippingProxy } from "../fakes/field-stripping-proxy.js";

const FILE = "examples/runner-config.yaml";
const TEXT = readFileSync(FILE, "utf8");

let emu: Emulator | undefined;
let proxy: StrippingProxy | undefined;
let client: GitpodClient | undefined;
afterEach(async () => {
  await client?.close();
  await proxy?.close();
  await emu?.close();
});

/** A runner state with something to create, update, replace and leave alone. */
function seed(e: Emulator): void {
  e.state.seedEnvironmentClass({
    runnerId: RUNNER_EU_ID,
    displayName: "Small Instance",
    description: "an old description",
    configuration: [
      { key: "instanceType", value: "m6i.large" },
      { key: "diskSize", value: "50" },
    ],
  });
  e.state.seedEnvironmentClass({
    runnerId: RUNNER_EU_ID,
    displayName: "Large Instance",
    description: "8 CPU, 32 GiB RAM",
    configuration: [{ key: "instanceType", value: "m6i.xlarge" }],
  });
  e.state.seedEnvironmentClass({ runnerId: RUNNER_EU_ID, displayName: "Retired", enabled: false });
  e.state.seedScmIntegration({
    runnerId: RUNNER_EU_ID,
    scmId: "github",
    host: "github.com",
    pat: false,
    oauthClientId: GITHUB_OAUTH_CLIENT_ID,
    oauthClientSecret: GITHUB_OAUTH_SECRET,
  });
  e.state.seedScmIntegration({ runnerId: RUNNER_US_ID, scmId: "gitlab", host: "gitlab.com", pat: true });
}

async function setUp(rule: StripRule): Promise<GitpodClient> {
  emu = await startEmulator();
  seed(emu);
  proxy = await startStrippingProxy(emu.url, rule);
  client = new GitpodClient({
    baseUrl: proxy.url,
    apiKey: emu.token,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 20,
  });
  return client;
}

function sync(c: GitpodClient, mode: SyncMode): Promise<SyncResult> {
  return runSync(c, {
    file: FILE,
    text: TEXT,
    env: { OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET },
    mode,
    concurrency: 4,
    prune: false,
    allowDestructive: false,
    rotateSecrets: false,
  });
}

/** Everything a user would read about a run. */
function words(result: SyncResult): string {
  return [
    result.issues.length > 0 ? formatIssuesText(result.issues) : "",
    result.plan ? formatPlanText(result.plan, { showUnchanged: true }) : "",
    result.apply ? formatApplyText(result.apply) : "",
  ].join("\n");
}

/** Optional response fields the plan/apply path reads (spec: Optional[...] / `optional`). */
const RULES: StripRule[] = [
  { rpc: "GetRunnerConfigurationSchema", path: "schema" },
  { rpc: "GetRunnerConfigurationSchema", path: "schema.environmentClasses" },
  { rpc: "GetRunnerConfigurationSchema", path: "schema.scm" },
  { rpc: "GetRunnerConfigurationSchema", path: "schema.version" },
  { rpc: "ListEnvironmentClasses", path: "environmentClasses" },
  { rpc: "ListEnvironmentClasses", path: "pagination" },
  { rpc: "ListEnvironmentClasses", path: "environmentClasses[].configuration" },
  { rpc: "ListEnvironmentClasses", path: "environmentClasses[].description" },
  { rpc: "ListEnvironmentClasses", path: "environmentClasses[].displayName" },
  { rpc: "ListEnvironmentClasses", path: "environmentClasses[].enabled" },
  { rpc: "CreateEnvironmentClass", path: "id" },
  { rpc: "ListSCMIntegrations", path: "integrations" },
  { rpc: "ListSCMIntegrations", path: "pagination" },
  { rpc: "ListSCMIntegrations", path: "integrations[].id" },
  { rpc: "ListSCMIntegrations", path: "integrations[].runnerId" },
  { rpc: "ListSCMIntegrations", path: "integrations[].scmId" },
  { rpc: "ListSCMIntegrations", path: "integrations[].host" },
  { rpc: "ListSCMIntegrations", path: "integrations[].oauth" },
  { rpc: "ListSCMIntegrations", path: "integrations[].pat" },
  { rpc: "CreateSCMIntegration", path: "id" },
  { rpc: "ValidateRunnerConfiguration", path: "environmentClass" },
  { rpc: "ValidateRunnerConfiguration", path: "environmentClass.valid" },
  { rpc: "ValidateRunnerConfiguration", path: "scmIntegration" },
  { rpc: "ValidateRunnerConfiguration", path: "scmIntegration.valid" },
];

describe("a response without an optional field", () => {
  it.each(RULES)("$rpc without $path: plan and apply end in words", async (rule) => {
    const c = await setUp(rule);
    const plan = await sync(c, "plan");
    const apply = await sync(c, "apply");
    expect(proxy?.stripped).toBeGreaterThan(0);
    for (const result of [plan, apply]) {
      const text = words(result);
      expect(text).not.toMatch(/response field|internal:/);
      expect(text.trim()).not.toBe("");
      // Every failure says what it is about.
      for (const outcome of result.apply?.outcomes ?? []) {
        if (outcome.status !== "done") expect(outcome.error).toMatch(/\w{4,}/);
      }
    }
  });

  it("a runner without a schema: the plan says so and only server-side validation applies", async () => {
    const c = await setUp({ rpc: "GetRunnerConfigurationSchema", path: "schema" });
    const plan = await sync(c, "plan");
    expect(plan.ok).toBe(true);
    expect(formatPlanText(plan.plan ?? raise())).toContain(
      `note: runner aws-eu (${RUNNER_EU_ID}) reported no configuration schema; only server-side validation applies`,
    );
    // Server-side validation still ran for what would change.
    expect(emu?.requests.count("ValidateRunnerConfiguration")).toBeGreaterThan(0);
  });

  it("a create that answers no id: apply finds the new class to disable it and converges", async () => {
    const c = await setUp({ rpc: "CreateEnvironmentClass", path: "id" });
    const apply = await sync(c, "apply");
    expect(apply.ok).toBe(true);
    const gpu = [...(emu?.state.environmentClasses.values() ?? [])].filter(
      (x) => x.displayName === "GPU Instance",
    );
    expect(gpu.map((x) => x.enabled)).toEqual([false]);
    const again = await sync(c, "plan");
    expect(again.changed).toBe(false);
  });

  it("integrations listed without their runner id are placed by asking runner by runner", async () => {
    const c = await setUp({ rpc: "ListSCMIntegrations", path: "integrations[].runnerId" });
    await sync(c, "apply");
    expect(emu?.state.scmIntegrations.size).toBe(3);
    const again = await sync(c, "plan");
    expect(again.changed).toBe(false);
  });

  it("integrations listed without their id cannot be changed, and apply says why", async () => {
    const c = await setUp({ rpc: "ListSCMIntegrations", path: "integrations[].id" });
    const apply = await sync(c, "apply");
    expect(apply.ok).toBe(false);
    expect(formatApplyText(apply.apply ?? raise())).toContain(
      "SCM integration github@github.com cannot be updated: the API listed it without its id",
    );
  });
});

describe("the plan counts the disabled classes a runner carries", () => {
  it("says how many disabled environment classes each runner already has", async () => {
    const c = await setUp({ rpc: "none", path: "none" });
    const plan = await sync(c, "plan");
    const runners = plan.plan?.runners ?? [];
    expect(runners.map((r) => [r.runnerName, r.disabledEnvironmentClasses])).toEqual([
      ["aws-eu", 1],
      ["aws-us", 0],
    ]);
    expect(formatPlanText(plan.plan ?? raise())).toContain(
      "note: 1 disabled environment class already on this runner (classes cannot be deleted; each configuration change disables one more)",
    );
  });

  it("does not count the classes the file itself declares disabled", async () => {
    const c = await setUp({ rpc: "none", path: "none" });
    expect((await sync(c, "apply")).ok).toBe(true);
    // Now disabled on aws-eu: Retired, the Large Instance the replace left, and GPU Instance, which the
    // file declares `enabled: false` (so it is the file's, not a leftover).
    const plan = await sync(c, "plan");
    expect(plan.plan?.runners.map((r) => [r.runnerName, r.disabledEnvironmentClasses])).toEqual([
      ["aws-eu", 2],
      ["aws-us", 0],
    ]);
  });
});

function raise(): never {
  throw new Error("missing");
}
