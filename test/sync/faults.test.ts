/**
 * Faults injected at the emulator during apply: rate limits with Retry-After, 503s, connection resets
 * and a create that commits but never answers. Each run ends in the desired state with no duplicate
 * objects, or fails clearly, listing what was not done.
 */
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitpodClient } from "../../shared/api/index.js";
import { runSync, type SyncMode } from "../../shared/sync/engine.js";
import { formatApplyText } from "../../shared/sync/format.js";
import { type Emulator, GITHUB_OAUTH_SECRET, startEmulator } from "../emulator/index.js";

const FILE = "examples/runner-config.yaml";
const TEXT = readFileSync(FILE, "utf8");

let emu: Emulator;
let client: GitpodClient;
beforeEach(async () => {
  emu = await startEmulator();
  client = new GitpodClient({
    baseUrl: emu.url,
    apiKey: emu.token,
    timeoutMs: 400,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 20,
  });
});
afterEach(async () => {
  await client.close();
  await emu.close();
});

function sync(mode: SyncMode) {
  return runSync(client, {
    file: FILE,
    text: TEXT,
    env: { OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET },
    mode,
    concurrency: 8,
    prune: false,
    allowDestructive: false,
    rotateSecrets: false,
  });
}

/** The example file's objects, exactly once each. */
function expectDesiredState() {
  const classes = [...emu.state.environmentClasses.values()].map((c) => c.displayName).sort();
  expect(classes).toEqual(["GPU Instance", "Large Instance", "Small Instance", "Standard Instance"]);
  const hosts = [...emu.state.scmIntegrations.values()].map((i) => i.host).sort();
  expect(hosts).toEqual(["ado.example.com", "github.com", "gitlab.com"]);
}

async function expectConverged() {
  expectDesiredState();
  emu.requests.clear();
  const again = await sync("plan");
  expect(again.ok).toBe(true);
  expect(again.changed).toBe(false);
}

describe("apply under faults", () => {
  it("does not create again after a 429 on a create, says it may or may not exist, and the next apply finishes", async () => {
    emu.faults.add({
      kind: "status",
      status: 429,
      retryAfterSeconds: 1,
      rpc: "CreateEnvironmentClass",
      times: 1,
    });
    const result = await sync("apply");
    expect(result.ok).toBe(false);
    const unknown = result.apply?.outcomes.filter((outcome) => outcome.status === "unknown") ?? [];
    expect(unknown).toHaveLength(1);
    expect(unknown[0]?.error).toContain("it may or may not exist: run plan again");
    expect(formatApplyText(result.apply ?? { ok: false, outcomes: [] })).toContain(
      "1 of them may or may not have happened",
    );
    expect(emu.requests.all("CreateEnvironmentClass").filter((e) => e.status === 429)).toHaveLength(1);
    expect(emu.state.environmentClasses.size).toBe(3);
    const rerun = await sync("apply");
    expect(rerun.ok).toBe(true);
    await expectConverged();
  });

  it("retries 503s and resets on reads and updates; never duplicates a create; a few applies converge", async () => {
    // Requests run in parallel, so which request meets which seeded draw varies from run to run: with
    // the default 4 retries, a run of five 503s in a row (p = 0.3^5 per request) would fail the call.
    await client.close();
    client = new GitpodClient({
      baseUrl: emu.url,
      apiKey: emu.token,
      timeoutMs: 400,
      maxRetries: 10,
      retryBaseDelayMs: 5,
      retryMaxDelayMs: 20,
    });
    emu.faults.add({ kind: "status", status: 503, rate: 0.3 });
    emu.faults.add({ kind: "reset", rpc: ["ListEnvironmentClasses", "UpdateEnvironmentClass"], times: 2 });
    let result = await sync("apply");
    for (let run = 0; run < 10 && !result.ok; run++) {
      const notDone = result.apply?.outcomes.filter((outcome) => outcome.status !== "done") ?? [];
      // A create answered 503 cannot be placed: it is reported as such, never retried blindly.
      for (const outcome of notDone) expect(outcome.status).toBe("unknown");
      result = await sync("apply");
    }
    expect(result.ok, result.apply ? formatApplyText(result.apply) : JSON.stringify(result.issues)).toBe(
      true,
    );
    emu.faults.clear();
    await expectConverged();
  });

  it("does not duplicate an SCM integration whose create committed before the connection reset", async () => {
    emu.faults.add({ kind: "reset", rpc: "CreateSCMIntegration", after: true, times: 3 });
    const result = await sync("apply");
    expect(result.ok, result.apply ? formatApplyText(result.apply) : "").toBe(true);
    expect(emu.requests.count("CreateSCMIntegration")).toBe(3);
    await expectConverged();
  });

  it("does not duplicate an environment class whose create committed but never answered (timeout)", async () => {
    emu.faults.add({ kind: "hang", rpc: "CreateEnvironmentClass", after: true, times: 2 });
    const result = await sync("apply");
    expect(result.ok, result.apply ? formatApplyText(result.apply) : "").toBe(true);
    expect(emu.requests.count("CreateEnvironmentClass")).toBe(4);
    await expectConverged();
  });

  it("does not create again after a reset it cannot place; the next apply creates it", async () => {
    emu.faults.add({ kind: "reset", rpc: "CreateEnvironmentClass", nth: 1, times: 1 });
    const result = await sync("apply");
    expect(result.apply?.outcomes.filter((outcome) => outcome.status === "unknown")).toHaveLength(1);
    expect(await sync("apply")).toMatchObject({ ok: true });
    await expectConverged();
  });

  it("reports a persistent failure per item, applies the rest, and a rerun finishes the job", async () => {
    emu.faults.add({ kind: "status", status: 500, rpc: "CreateSCMIntegration", times: 100 });
    const result = await sync("apply");
    expect(result.ok).toBe(false);
    // A 500 to a create proves nothing: after a re-read that does not show it, each says it may or may not have happened.
    const failed = result.apply?.outcomes.filter((outcome) => outcome.status === "unknown") ?? [];
    expect(failed.map((outcome) => outcome.operation.key).sort()).toEqual([
      "azure-devops-server@ado.example.com",
      "github@github.com",
      "gitlab@gitlab.com",
    ]);
    const text = formatApplyText(result.apply ?? { ok: false, outcomes: [] });
    expect(text).toMatch(/4 done, 3 not done .*3 of them may or may not have happened/);
    expect(text).toContain(
      "create SCM integration github@github.com: unknown: CreateSCMIntegration got no usable answer (internal, HTTP 500) and a re-read does not show github@github.com yet; it may or may not exist",
    );
    expect(emu.state.environmentClasses.size).toBe(4);

    emu.faults.clear();
    const rerun = await sync("apply");
    expect(rerun.ok).toBe(true);
    expect(rerun.apply?.outcomes).toHaveLength(3);
    await expectConverged();
  });

  it("writes nothing when the reads before the plan keep failing", async () => {
    emu.faults.add({ kind: "status", status: 503, rpc: "ListSCMIntegrations", times: 100 });
    await expect(sync("apply")).rejects.toThrow(/ListSCMIntegrations failed: unavailable/);
    expect(emu.requests.writes()).toHaveLength(0);
  });
});
