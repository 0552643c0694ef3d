/**
 * A per-token rate limit (429 + Retry-After) and page tokens that expire: plan and apply page through
 * hundreds of objects and still finish, or say what happened.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { GitpodClient } from "../../shared/api/index.js";
import { runSync, type SyncMode } from "../../shared/sync/engine.js";
import { formatApplyText, formatIssuesText } from "../../shared/sync/format.js";
import {
  type Emulator,
  type EmulatorOptions,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  RUNNER_US_ID,
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

async function start(options: EmulatorOptions): Promise<{ e: Emulator; c: GitpodClient }> {
  emu = await startEmulator(options);
  // Objects the file does not mention: three pages of classes and of integrations to read.
  for (let index = 0; index < 250; index += 1) {
    const runnerId = index % 2 === 0 ? RUNNER_EU_ID : RUNNER_US_ID;
    emu.state.seedEnvironmentClass({ runnerId, displayName: `legacy ${index}` });
    emu.state.seedScmIntegration({ runnerId, scmId: "github", host: `ghe${index}.example.com`, pat: true });
  }
  client = new GitpodClient({ baseUrl: emu.url, apiKey: emu.token });
  return { e: emu, c: client };
}

function sync(c: GitpodClient, mode: SyncMode, prune = false) {
  return runSync(c, {
    file: FILE,
    text: TEXT,
    env: { OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET },
    mode,
    concurrency: 4,
    prune,
    allowDestructive: false,
    rotateSecrets: false,
  });
}

describe("under a per-token rate limit", () => {
  it("plan pages through every object, waiting as Retry-After says", async () => {
    const { e, c } = await start({ rateLimit: { rps: 8, burst: 8 } });
    // With prune, every object the file does not mention shows up in the plan: proof that every
    // page was read despite the 429s.
    const plan = await sync(c, "plan", true);
    expect(plan.ok, formatIssuesText(plan.issues)).toBe(true);
    expect(e.requests.all().filter((r) => r.status === 429).length).toBeGreaterThan(0);
    const operations = plan.plan?.runners.flatMap((r) => r.operations) ?? [];
    expect(operations.filter((o) => o.action === "disable" && o.key.startsWith("legacy"))).toHaveLength(250);
    expect(
      operations.filter(
        (o) => o.action === "delete" && o.key.includes("example.com") && o.key.startsWith("github@ghe"),
      ),
    ).toHaveLength(250);
  }, 60_000);

  it("apply never duplicates: a rate-limited create is reported as unknown and the next apply finishes", async () => {
    const { e, c } = await start({ rateLimit: { rps: 8, burst: 8 } });
    let result = await sync(c, "apply");
    for (let run = 0; run < 4 && !result.ok; run += 1) {
      for (const outcome of result.apply?.outcomes ?? []) {
        if (outcome.status !== "done")
          expect(outcome.error).toMatch(/may or may not|rate limit|resource_exhausted/);
      }
      result = await sync(c, "apply");
    }
    expect(result.ok, result.apply ? formatApplyText(result.apply) : formatIssuesText(result.issues)).toBe(
      true,
    );
    const names = [...e.state.environmentClasses.values()]
      .map((x) => x.displayName)
      .filter((n) => !n.startsWith("legacy"));
    expect(names.sort()).toEqual(["GPU Instance", "Large Instance", "Small Instance", "Standard Instance"]);
    const hosts = [...e.state.scmIntegrations.values()]
      .map((x) => x.host)
      .filter((h) => !h.startsWith("ghe"));
    expect(hosts.sort()).toEqual(["ado.example.com", "github.com", "gitlab.com"]);
  }, 60_000);
});

describe("page tokens that expire", () => {
  it("a token that expired while waiting restarts the listing from the first page, and the plan is whole", async () => {
    const { e, c } = await start({ pageTokenTtlSeconds: 1 });
    // Each runner has two pages; the first next-page request waits until its token is 1.2 s old.
    e.faults.add({ kind: "latency", rpc: "ListSCMIntegrations", nth: 3, times: 1, latencyMs: 1200 });
    const plan = await sync(c, "plan", true);
    expect(plan.ok, formatIssuesText(plan.issues)).toBe(true);
    const refused = e.requests.all("ListSCMIntegrations").filter((r) => r.status === 400);
    expect(refused).toHaveLength(1);
    const operations = plan.plan?.runners.flatMap((r) => r.operations) ?? [];
    expect(operations.filter((o) => o.action === "delete" && o.key.startsWith("github@ghe"))).toHaveLength(
      250,
    );
  }, 30_000);

  it("a token refused every time ends in words, not a half list", async () => {
    const { e, c } = await start({ pageTokenTtlSeconds: 1 });
    e.faults.add({ kind: "latency", rpc: "ListSCMIntegrations", latencyMs: 1100 });
    await expect(sync(c, "plan")).rejects.toThrow(
      /page token expired.*refused after 1 page\(s\) \(it may have expired\), also after listing again from the start 2 time\(s\)/,
    );
    expect(e.requests.writes()).toHaveLength(0);
  }, 30_000);
});
