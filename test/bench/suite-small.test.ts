/**
 * Every scenario of `npm run bench`, small: the invariants the full benchmark relies on (not its
 * timing targets), and the report, table, JSON and SVG it produces.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totalRequests } from "../../bench/lib/rpc-counts.js";
import { runSuite, type SuiteResult } from "../../bench/suite.js";

let outDir: string;
let result: SuiteResult;

function sync() {
  if (!result.sync) throw new Error("no sync run");
  return result.sync;
}

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), "bench-suite-test-"));
  result = await runSuite(
    {
      sync: {
        shape: { runners: 2, classesPerRunner: 5, integrationsPerRunner: 2 },
        latencyMs: 2,
        concurrency: 8,
        driftFraction: 0.3,
        runs: 2,
      },
      scale: { points: [100, 300], runners: 2, concurrency: 8, driftEvery: 10, runs: 1 },
      largeChange: { objects: 200, runners: 2, concurrency: 8, changedFraction: 0.1, runs: 1 },
      actionStart: { runs: 1 },
      botAck: {
        connections: 10,
        durationSeconds: 1,
        warmupSeconds: 0,
        gitpodLatencyMs: 1,
        drainTimeoutMs: 5000,
        overallRate: 100,
        runs: 1,
      },
      botListLarge: { users: 50, tokensPerRunner: 250, latencyMs: 1, runs: 1, timeoutMs: 10_000 },
      botFootprint: {
        commands: 60,
        connections: 10,
        runs: 1,
        gitpodLatencyMs: 1,
        drainTimeoutMs: 5000,
        maxRatio: 1.5,
      },
    },
    outDir,
  );
}, 120_000);

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

describe("sync scenarios", () => {
  it("cold apply creates every object exactly once, and so does the naive peer", () => {
    const { cold, coldLocal, competent, peerCold, objects, timings } = sync().facts;
    expect(objects).toBe(14);
    expect(cold.createsOnce).toBe(true);
    expect(cold.storedObjects).toBe(14);
    expect(cold.requests.ValidateRunnerConfiguration).toBe(14);
    expect(peerCold.created).toBe(14);
    // The competent peer validates every item before it writes; so does the engine.
    expect(competent.created).toBe(14);
    expect(competent.requests.ValidateRunnerConfiguration).toBe(14);
    // Without server-side validation of environment classes, only the 4 SCM integrations are validated.
    expect(coldLocal.createsOnce).toBe(true);
    expect(coldLocal.requests.ValidateRunnerConfiguration).toBe(4);
    // Every figure is a median of the runs, with min and max.
    expect(timings.cold.runs).toHaveLength(2);
    expect(timings.cold.min).toBeLessThanOrEqual(timings.cold.median);
    expect(timings.cold.max).toBeGreaterThanOrEqual(timings.cold.median);
    expect(timings.load).toHaveLength(2);
  });

  it("a no-op re-sync writes nothing and makes the minimal number of requests", () => {
    const { noop, peerNoop } = sync().facts;
    expect(noop.writes).toBe(0);
    expect(totalRequests(noop.requests)).toBe(noop.minimumRequests);
    expect(noop.minimumRequests).toBe(6);
    expect(peerNoop.created).toBe(0);
  });

  it("drift repair writes exactly the objects changed out of band", () => {
    const { drift } = sync().facts;
    expect(drift.changed).toBe(4);
    expect(drift.writes).toBe(drift.changed);
    expect(drift.repairedExactly).toBe(true);
  });
});

describe("scale curve", () => {
  it("plans each size in its own process and measures time, CPU and peak RSS", () => {
    const points = result.scale?.points ?? [];
    expect(points.map((point) => point.objects)).toEqual([100, 300]);
    for (const point of points) {
      expect(point.operations).toBe(point.objects);
      expect(point.cpuMs).toBeGreaterThan(0);
      expect(point.diffCpuMs).toBeGreaterThan(0);
      expect(point.peakRssBytes).toBeGreaterThan(point.baselineRssBytes);
      // A plan never writes.
      expect(Object.keys(point.requests).filter((rpc) => /^(Create|Update|Delete)/.test(rpc))).toEqual([]);
    }
  });
});

describe("action start", () => {
  it("times node dist/index.js to its first API request and reports the bundle size", () => {
    expect(result.actionStart?.startMs).toHaveLength(1);
    expect(result.actionStart?.startMs[0]).toBeGreaterThan(0);
    expect(result.actionStart?.bundleBytes).toBeGreaterThan(100_000);
  });
});

describe("bot acknowledgement", () => {
  it("acks every signed command, for the bot and the bare Bolt peer, and the bot finishes its follow-ups", () => {
    const flood = result.botAck?.flood;
    if (!flood) throw new Error("no bot run");
    const { bot, peer } = flood;
    for (const run of [bot, peer]) {
      expect(run.requests).toBeGreaterThan(20);
      expect(run.non2xx + run.errors + run.timeouts).toBe(0);
      expect(run.p99Ms).toBeGreaterThanOrEqual(run.p50Ms);
    }
    // Every command got its follow-up, or was answered "busy" in its ack (the in-flight limit).
    expect((bot.followUps?.completed ?? 0) + (bot.followUps?.busy ?? 0)).toBeGreaterThanOrEqual(bot.requests);
    expect(bot.followUps?.gitpodRequests).toBeGreaterThan(0);
  });
});

describe("bot footprint", () => {
  it("sends exactly the flood's commands to each process, all acked, and reports both peak RSS figures", () => {
    const run = result.botFootprint?.runs[0];
    if (!run) throw new Error("no footprint run");
    for (const side of [run.bot, run.peer]) {
      expect(side.requests).toBe(60);
      expect(side.non2xx + side.errors + side.timeouts).toBe(0);
      expect(side.serverPeakRssBytes).toBeGreaterThan(10 * 1048576);
    }
    const row = result.report.scenarios.find((s) => s.id === "bot-footprint")?.rows[0];
    expect(row?.verdict).toMatch(/PASS|MISS/);
  });
});

describe("large change", () => {
  it("applies exactly the changed 10% and reports every item of the all-invalid file, writing nothing", () => {
    const large = result.largeChange;
    if (!large) throw new Error("no large-change run");
    expect(large.changed.writes).toBe(20);
    expect(large.invalid.issues).toBeGreaterThanOrEqual(200);
    expect(large.invalid.writes).toBe(0);
  });
});

describe("bot list in a large workspace", () => {
  it("answers list on response_url, reading the host tokens once per runner and page", () => {
    const list = result.botListLarge;
    if (!list) throw new Error("no list run");
    expect(list.answerMs.runs).toHaveLength(1);
    expect(list.answerMs.median).toBeGreaterThan(0);
    // One integrations page, 3 token pages per runner (250 tokens + 3 seeded, 100 a page) and one
    // LLM-integrations page per runner (list shows them too).
    expect(list.gitpodRequests).toBe(1 + 2 * 3 + 2);
  });
});

describe("report", () => {
  it("prints one table with a verdict column and writes results.json and the SVG", () => {
    expect(result.text).toMatch(
      /Scenario\s+\| Measure\s+\| Value\s+\| Reference\s+\| Ratio\s+\| Target\s+\| Result/,
    );
    for (const scenario of [
      "1 cold apply",
      "2 no-op re-sync",
      "3 drift",
      "4 scale (plan)",
      "4b large change",
      "5 action start",
      "6 bot ack",
      "7 bot list, large",
    ]) {
      expect(result.text).toContain(scenario);
    }
    expect(result.text).toMatch(/\| (PASS|MISS)/);
    const json = JSON.parse(readFileSync(join(outDir, "results.json"), "utf8"));
    expect(json.scenarios.map((scenario: { id: string }) => scenario.id)).toEqual([
      "cold-apply",
      "noop",
      "drift",
      "scale",
      "large-change",
      "action-start",
      "bot-ack",
      "bot-list-large",
      "bot-footprint",
    ]);
    // Every scenario records the load average around it (the machine is shared).
    for (const scenario of json.scenarios) expect(scenario.load.start).toBeGreaterThanOrEqual(0);
    expect(json.machine.cores).toBeGreaterThan(0);
    const svg = readFileSync(join(outDir, "scale.svg"), "utf8");
    expect(svg).toContain("<polyline");
  });

  it("never puts the OAuth secret or the API token in the report", () => {
    const json = readFileSync(join(outDir, "results.json"), "utf8");
    expect(json).not.toContain("bench-oauth-client-secret");
    expect(result.text).not.toContain("bench-oauth-client-secret");
    expect(json).not.toMatch(/emu_[0-9a-f]{32}/);
  });
});
