/**
 * The CLI as a process against what the real service plausibly does and the emulator only shows when
 * asked: an offline runner, a runner that reports no schema, a per-token rate limit, and a description
 * removed from the file (which the API cannot clear).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type Emulator,
  type EmulatorOptions,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  RUNNER_US_ID,
  startEmulator,
} from "../emulator/index.js";
import { type StrippingProxy, startStrippingProxy } from "../fakes/field-stripping-proxy.js";
import { runCli } from "../support/run-action.js";

const EXAMPLE = "examples/runner-config.yaml";
let emu: Emulator | undefined;
let proxy: StrippingProxy | undefined;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "runner-config-real-"));
  return () => rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await proxy?.close();
  await emu?.close();
  proxy = undefined;
  emu = undefined;
});

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  emu = await startEmulator(options);
  return emu;
}

function cli(command: string, url: string, token: string, config = EXAMPLE) {
  return runCli([command, "--config", config, "--api-url", url], {
    api: { token },
    env: { OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET },
  });
}

describe("the CLI when the service behaves like a real one", () => {
  it("an offline runner: plan fails naming the runner as offline, and writes nothing", async () => {
    const e = await start({
      fixtures: {
        runners: [
          { id: RUNNER_EU_ID, name: "aws-eu", online: false },
          { id: RUNNER_US_ID, name: "aws-us" },
        ],
      },
    });
    const plan = await cli("plan", e.url, e.token);
    expect(plan.code).not.toBe(0);
    expect(`${plan.stdout}${plan.stderr}`).toContain(`runner aws-eu (${RUNNER_EU_ID}) is offline`);
    const apply = await cli("apply", e.url, e.token);
    expect(apply.code).not.toBe(0);
    expect(e.requests.writes()).toHaveLength(0);
  });

  it("a runner that reports no schema: the plan says only server-side validation applies", async () => {
    const e = await start();
    proxy = await startStrippingProxy(e.url, { rpc: "GetRunnerConfigurationSchema", path: "schema" });
    const plan = await cli("plan", proxy.url, e.token);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(
      `note: runner aws-eu (${RUNNER_EU_ID}) reported no configuration schema; only server-side validation applies`,
    );
    expect(plan.stdout).not.toContain("response field");
  });

  it("a per-token rate limit: apply pages and waits as told, and a second apply converges", async () => {
    const e = await start({ rateLimit: { rps: 10, burst: 10 } });
    let apply = await cli("apply", e.url, e.token);
    for (let run = 0; run < 3 && apply.code !== 0; run += 1) {
      expect(apply.stdout).toMatch(/may or may not/);
      apply = await cli("apply", e.url, e.token);
    }
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const plan = await cli("plan", e.url, e.token);
    expect(plan.stdout).toContain("No changes.");
  }, 60_000);

  it("a description removed from the file is kept, said once, and not reported as drift", async () => {
    const e = await start();
    e.state.seedEnvironmentClass({
      runnerId: RUNNER_EU_ID,
      displayName: "Small Instance",
      description: "kept by the API",
      configuration: [
        { key: "instanceType", value: "m6i.large" },
        { key: "diskSize", value: "50" },
      ],
    });
    const config = join(dir, "no-description.yaml");
    await writeFile(
      config,
      `version: 1
runners:
  - id: ${RUNNER_EU_ID}
    name: aws-eu
    environmentClasses:
      - displayName: Small Instance
        configuration:
          instanceType: m6i.large
          diskSize: 50
`,
    );
    const plan = await cli("plan", e.url, e.token, config);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain("No changes.");
    expect(plan.stdout).toContain(
      'note: environment class Small Instance: description "kept by the API" is kept: the file has none and the API cannot clear a description',
    );
    const apply = await cli("apply", e.url, e.token, config);
    expect(apply.code).toBe(0);
    expect(e.requests.all("UpdateEnvironmentClass")).toHaveLength(0);
    expect([...e.state.environmentClasses.values()][0]?.description).toBe("kept by the API");
  });

  it("an update never sends an empty description", async () => {
    const e = await start();
    e.state.seedEnvironmentClass({
      runnerId: RUNNER_EU_ID,
      displayName: "Small Instance",
      configuration: [
        { key: "instanceType", value: "m6i.large" },
        { key: "diskSize", value: "50" },
      ],
      enabled: false,
    });
    const config = join(dir, "enable.yaml");
    await writeFile(
      config,
      `version: 1
runners:
  - id: ${RUNNER_EU_ID}
    environmentClasses:
      - displayName: Small Instance
        configuration:
          instanceType: m6i.large
          diskSize: 50
`,
    );
    const apply = await cli("apply", e.url, e.token, config);
    expect(apply.code, apply.stdout).toBe(0);
    const updates = e.requests.all("UpdateEnvironmentClass").map((entry) => entry.body);
    expect(updates).toHaveLength(1);
    expect(updates[0]).not.toHaveProperty("description");
    expect(updates[0]).toMatchObject({ enabled: true });
  });
});
