/**
 * Where the spec is silent the emulator makes assumptions; the product must behave sensibly on both
 * sides of those it relies on. Here: a duplicate SCM integration per (runner, host) refused by the
 * API (already_exists) versus silently accepted.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { GitpodClient } from "../../shared/api/index.js";
import { runSync, type SyncMode } from "../../shared/sync/engine.js";
import { formatApplyText } from "../../shared/sync/format.js";
import { formatPlanText } from "../../shared/sync/plan-text.js";
import {
  type Emulator,
  type EmulatorOptions,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  startEmulator,
} from "../emulator/index.js";

const FILE = "examples/runner-config.yaml";
const TEXT = readFileSync(FILE, "utf8");

let emu: Emulator | undefined;
let client: GitpodClient | undefined;
afterEach(async () => {
  await client?.close();
  await emu?.close();
});

async function start(options: EmulatorOptions): Promise<Emulator> {
  emu = await startEmulator(options);
  client = new GitpodClient({
    baseUrl: emu.url,
    apiKey: emu.token,
    timeoutMs: 400,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 20,
  });
  return emu;
}

function sync(mode: SyncMode, prune = false) {
  if (!client) throw new Error("no client");
  return runSync(client, {
    file: FILE,
    text: TEXT,
    env: { OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET },
    mode,
    concurrency: 4,
    prune,
    allowDestructive: true,
    rotateSecrets: false,
  });
}

function githubCount(e: Emulator): number {
  return [...e.state.scmIntegrations.values()].filter(
    (i) => i.runnerId === RUNNER_EU_ID && i.host === "github.com",
  ).length;
}

describe.each([
  ["refused (already_exists)", true],
  ["silently accepted", false],
])("a duplicate SCM integration per (runner, host) is %s", (_, unique) => {
  it("a create whose answer is lost while List lags is never repeated into a duplicate", async () => {
    const e = await start({ uniqueScmHostPerRunner: unique, listLagMs: 60_000 });
    e.faults.add({ kind: "reset", rpc: "CreateSCMIntegration", after: true, times: 1 });
    const result = await sync("apply");
    expect(githubCount(e)).toBe(1);
    const outcome = result.apply?.outcomes.find((o) => o.operation.key === "github@github.com");
    expect(outcome?.status).not.toBe("done");
    expect(outcome?.error).toContain("may or may not exist: run plan again");
  });

  it("an apply against a runner that already holds a duplicate keeps one and says so", async () => {
    const e = await start({ uniqueScmHostPerRunner: unique });
    e.state.seedScmIntegration({ runnerId: RUNNER_EU_ID, scmId: "github", host: "github.com", pat: true });
    if (!unique)
      e.state.seedScmIntegration({ runnerId: RUNNER_EU_ID, scmId: "github", host: "github.com", pat: true });
    const plan = await sync("plan");
    expect(plan.ok).toBe(true);
    const text = formatPlanText(plan.plan ?? raise(), { showUnchanged: true });
    if (unique) expect(text).not.toContain("accepted a duplicate");
    else
      expect(text).toContain(
        "the API holds 2 SCM integrations for github@github.com on this runner (it accepted a duplicate)",
      );
    const apply = await sync("apply");
    expect(apply.ok, apply.apply ? formatApplyText(apply.apply) : "").toBe(true);
    // No create for a key the API already holds, whichever way it counts duplicates.
    expect(githubCount(e)).toBe(unique ? 1 : 2);
    const pruned = await sync("apply", true);
    expect(pruned.ok).toBe(true);
    expect(githubCount(e)).toBe(1);
  });
});

function raise(): never {
  throw new Error("missing");
}

describe.each([
  ["case-insensitive", true],
  ["case-sensitive", false],
])("hosts compare %s in the API", (_, caseInsensitive) => {
  it("an integration stored as GitHub.com is the file's github.com: updated, never created again", async () => {
    const e = await start({ caseInsensitiveHosts: caseInsensitive });
    e.state.seedScmIntegration({ runnerId: RUNNER_EU_ID, scmId: "github", host: "GitHub.com", pat: false });
    const apply = await sync("apply");
    expect(apply.ok, apply.apply ? formatApplyText(apply.apply) : "").toBe(true);
    const github = [...e.state.scmIntegrations.values()].filter((i) => i.host.toLowerCase() === "github.com");
    expect(github).toHaveLength(1);
    expect(github[0]?.pat).toBe(true);
    expect((await sync("plan")).changed).toBe(false);
  });
});
