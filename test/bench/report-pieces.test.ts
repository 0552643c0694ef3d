import { describe, expect, it } from "vitest";
import { benchConfig } from "../../bench/lib/config.js";
import { generateDesiredState, toNaiveState, toRunnerConfigYaml } from "../../bench/lib/desired-state.js";
import { benchEnv } from "../../bench/lib/engine.js";
import { lowerBound } from "../../bench/lib/lower-bound.js";
import { median } from "../../bench/lib/measure.js";
import { RESULTS_END, RESULTS_START, renderResultsSection, spliceResults } from "../../bench/lib/readme.js";
import type { BenchReport } from "../../bench/lib/report.js";
import { countByRpc, formatRpcCounts, totalRequests, writeRequests } from "../../bench/lib/rpc-counts.js";
import { renderScaleChart } from "../../bench/lib/scale-chart.js";
import { renderMarkdownTable, renderReport, renderTextTable } from "../../bench/lib/table.js";
import { growthExponent, linearFit, shapeFor } from "../../bench/scenarios/scale.js";
import { minimumNoopRequests } from "../../bench/scenarios/sync.js";
import { loadRunnerConfig } from "../../shared/config/load.js";

describe("lower bound", () => {
  it("counts read, validation and write round trips at the given concurrency", () => {
    const bound = lowerBound({
      readRequests: 12,
      readChainDepth: 1,
      validations: 500,
      writes: 500,
      concurrency: 8,
      latencyMs: 20,
    });
    expect(bound.readRoundTrips).toBe(2);
    expect(bound.validationRoundTrips).toBe(63);
    expect(bound.writeRoundTrips).toBe(63);
    expect(bound.withValidationsMs).toBe(128 * 20);
    expect(bound.withoutValidationsMs).toBe(65 * 20);
    expect(bound.withValidationsFormula).toBe("(ceil(12/8)=2 + ceil(500/8)=63 + ceil(500/8)=63) x 20 ms");
  });

  it("never counts fewer read round trips than the longest page chain", () => {
    const bound = lowerBound({
      readRequests: 6,
      readChainDepth: 4,
      validations: 0,
      writes: 0,
      concurrency: 8,
      latencyMs: 10,
    });
    expect(bound.readRoundTrips).toBe(4);
    expect(bound.withValidationsMs).toBe(40);
  });
});

describe("counting and growth", () => {
  it("counts requests by RPC and tells writes apart", () => {
    const counts = countByRpc([
      { rpc: "ListSCMIntegrations" },
      { rpc: "CreateEnvironmentClass" },
      { rpc: "CreateEnvironmentClass" },
      { rpc: "UpdateSCMIntegration" },
    ]);
    expect(counts).toEqual({ CreateEnvironmentClass: 2, ListSCMIntegrations: 1, UpdateSCMIntegration: 1 });
    expect(totalRequests(counts)).toBe(4);
    expect(writeRequests(counts)).toBe(3);
    expect(formatRpcCounts(counts)).toBe("CreateEC 2, ListSCM 1, UpdateSCM 1");
  });

  it("computes the no-op minimum from the schema reads and each runner's list pages", () => {
    expect(minimumNoopRequests({ runners: 10, classesPerRunner: 40, integrationsPerRunner: 10 })).toBe(
      10 * (1 + 1 + 1),
    );
    expect(minimumNoopRequests({ runners: 2, classesPerRunner: 250, integrationsPerRunner: 2 })).toBe(
      2 * (1 + 3 + 1),
    );
  });

  it("reports linear growth as exponent 1 and quadratic as 2", () => {
    expect(growthExponent({ objects: 1000, cost: 10 }, { objects: 10_000, cost: 100 })).toBeCloseTo(1);
    expect(growthExponent({ objects: 1000, cost: 10 }, { objects: 10_000, cost: 1000 })).toBeCloseTo(2);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("splits a scale point into runners of environment classes and integrations", () => {
    const shape = shapeFor(10_000, 10);
    expect(shape.runners * (shape.classesPerRunner + shape.integrationsPerRunner)).toBe(10_000);
    expect(shape.integrationsPerRunner).toBe(200);
  });
});

describe("config generator", () => {
  it("writes a file the engine loads without problems, with the secret only as a reference", () => {
    const runners = generateDesiredState({ runners: 2, classesPerRunner: 3, integrationsPerRunner: 2 });
    const text = toRunnerConfigYaml(runners);
    expect(text).not.toContain(benchEnv().BENCH_OAUTH_CLIENT_SECRET);
    const loaded = loadRunnerConfig("bench.yaml", text, benchEnv());
    expect(loaded.issues).toEqual([]);
    expect(loaded.desired?.runners.map((runner) => runner.environmentClasses.length)).toEqual([3, 3]);
    expect(loaded.desired?.runners[0]?.environmentClasses[1]?.configuration).toEqual({
      instanceType: "m6i.xlarge",
      diskSize: "51",
      spot: "true",
    });
    const naive = toNaiveState(runners);
    expect(naive.runners[1]?.scmIntegrations[1]?.host).toBe("scm-2.bench.example");
  });
});

function sampleReport(): BenchReport {
  return {
    startedAt: "2026-01-01T00:00:00.000Z",
    durationMs: 1234,
    command: "npm run bench",
    machine: {
      cpuModel: "Test CPU",
      cores: 2,
      node: "v24.0.0",
      platform: "linux x64",
      loadAverageAtStart: [0.1, 0.2, 0.3],
    },
    scenarios: [
      {
        id: "a",
        title: "Scenario A",
        rows: [
          {
            scenario: "1 a",
            measure: "wall",
            value: "1.00 s",
            reference: "bound 0.9 s",
            ratio: "1.11x",
            target: "<= 1.3x",
            verdict: "PASS",
          },
          { scenario: "1 a", measure: "x|y", value: "2", verdict: "MISS" },
        ],
        requests: [{ run: "1 a: engine", counts: { ListSCMIntegrations: 1 } }],
        data: {},
        notes: ["why it missed"],
      },
    ],
  };
}

describe("table", () => {
  it("prints every row with its verdict, the request counts and the notes", () => {
    const text = renderReport(sampleReport());
    expect(text).toContain("Test CPU (2 cores), Node v24.0.0");
    expect(text).toMatch(/Scenario\s+\| Measure/);
    expect(text).toMatch(/1 a\s+\| wall\s+\| 1.00 s\s+\| bound 0.9 s\s+\| 1.11x\s+\| <= 1.3x\s+\| PASS/);
    expect(text).toContain("1 a: engine  ListSCM 1");
    expect(text).toContain("- Scenario A: why it missed");
    // The scenario name appears once, on its first row.
    expect(renderTextTable(sampleReport()).match(/1 a/g)).toHaveLength(1);
  });

  it("escapes pipes in the Markdown table", () => {
    const markdown = renderMarkdownTable(sampleReport());
    expect(markdown.split("\n")).toHaveLength(4);
    expect(markdown).toContain("x\\|y");
  });
});

describe("scale chart", () => {
  it("draws one line per series on log axes and labels each point's RSS", () => {
    const svg = renderScaleChart([
      { objects: 100, wallMs: 50, cpuMs: 80, diffCpuMs: 1, peakRssBytes: 100 * 1048576 },
      { objects: 1000, wallMs: 200, cpuMs: 300, diffCpuMs: 5, peakRssBytes: 150 * 1048576 },
      { objects: 10_000, wallMs: 1000, cpuMs: 1500, diffCpuMs: 30, peakRssBytes: 300 * 1048576 },
    ]);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    expect(svg.match(/<circle /g)).toHaveLength(9);
    expect(svg).toContain("peak RSS 300 MB");
    expect(svg).toContain("10,000");
    expect(svg).not.toContain("NaN");
  });

  it("refuses to draw a curve from a single point", () => {
    expect(() => renderScaleChart([{ objects: 1, wallMs: 1, cpuMs: 1, peakRssBytes: 1 }])).toThrow(
      /two points/,
    );
  });
});

describe("bench configuration from the environment", () => {
  it("uses the issue's sizes by default and takes smaller ones from BENCH_* variables", () => {
    const full = benchConfig({});
    expect(full.scale?.points).toEqual([100, 1000, 10_000, 20_000, 50_000]);
    expect(full.sync?.runs).toBe(5);
    expect(full.largeChange?.objects).toBe(10_000);
    expect(full.botListLarge?.tokensPerRunner).toBe(15_000);
    const small = benchConfig({ BENCH_RUNS: "2", BENCH_SCALE_POINTS: "1000,100", BENCH_ONLY: "scale,sync" });
    expect(small.scale?.points).toEqual([100, 1000]);
    expect(small.scale?.runs).toBe(2);
    expect(small.sync?.runs).toBe(2);
    expect(small.botAck).toBeUndefined();
    expect(() => benchConfig({ BENCH_RUNS: "0" })).toThrow(/BENCH_RUNS/);
    expect(() => benchConfig({ BENCH_ONLY: "everything" })).toThrow(/unknown scenario/);
  });
});

describe("linear fit", () => {
  it("recovers a line and reports R^2 = 1 for exact data", () => {
    const fit = linearFit([
      { objects: 1000, cost: 150 },
      { objects: 10_000, cost: 1050 },
      { objects: 50_000, cost: 5050 },
    ]);
    expect(fit.slope).toBeCloseTo(0.1);
    expect(fit.intercept).toBeCloseTo(50);
    expect(fit.r2).toBeCloseTo(1);
  });
});

describe("bench/README.md figures", () => {
  it("renders every target with its verdict and load from a report, and replaces only its own section", () => {
    const report = sampleReport();
    const first = report.scenarios[0];
    if (first) first.load = { start: 0.5, end: 1.25 };
    const section = renderResultsSection(report);
    expect(section).toContain("### Targets: 1 PASS, 1 MISS");
    expect(section).toContain("| 1 a | wall | 1.00 s | <= 1.3x | **PASS** | 0.50->1.25 |");
    const readme = `# Title\n\nprose\n\n${RESULTS_START}\nold figures\n${RESULTS_END}\n\nafter\n`;
    const spliced = spliceResults(readme, section);
    expect(spliced).not.toContain("old figures");
    expect(spliced.startsWith("# Title\n\nprose\n\n")).toBe(true);
    expect(spliced.endsWith("\n\nafter\n")).toBe(true);
    expect(spliceResults(spliced, section)).toBe(spliced);
  });
});
