/**
 * Scenario 4, the scale curve: plan (not apply) the generated file for N objects against an
 * emulator with no latency that already holds them (1% with a changed description, so the plan
 * has real updates). Each point runs in a fresh child process: wall time, CPU time and peak RSS of
 * the plan, plus the CPU of the engine's pure diff alone.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../../test/emulator/index.js";
import { runChild } from "../lib/child.js";
import { runCliProcess } from "../lib/cli-process.js";
import {
  type BenchShape,
  generateDesiredState,
  objectCount,
  prepareEmulator,
  seedSyncedState,
  toRunnerConfigYaml,
} from "../lib/desired-state.js";
import { benchEnv } from "../lib/engine.js";
import { loadNow, median, type Spread, spread } from "../lib/measure.js";
import { megabytes, ms, type Row, type ScenarioReport, spreadText, verdict } from "../lib/report.js";
import { countByRpc, type RpcCounts } from "../lib/rpc-counts.js";
import type { ScalePoint } from "../lib/scale-chart.js";
import type { ProcessStats } from "../workers/protocol.js";
import type { ScalePhaseStats, ScalePlanStats } from "../workers/scale-point.js";

export interface ScaleOptions {
  /** Object counts; each is split over `runners` runners, 80% environment classes, 20% SCM integrations. */
  points: number[];
  runners: number;
  concurrency: number;
  /** Every k-th environment class drifted (0: none). */
  driftEvery: number;
  /** Plan runs per point (each a fresh process); the point's figures are their medians. */
  runs: number;
}

export const FULL_SCALE: ScaleOptions = {
  points: [100, 1000, 10_000, 20_000, 50_000],
  runners: 10,
  concurrency: 8,
  driftEvery: 100,
  runs: 5,
};

interface MeasuredScalePoint extends ScalePoint {
  objects: number;
  drifted: number;
  operations: number;
  baselineRssBytes: number;
  requests: RpcCounts;
  phases: ScalePhaseStats;
  spread: { wallMs: Spread; cpuMs: Spread; peakRssBytes: Spread };
  /** 1-minute load average before each run. */
  load: number[];
  /** The same plan through `node dist/cli.js plan` (the target point only): peak RSS and CPU. */
  cli?: { peakRssBytes: Spread; cpuMs: Spread };
}

export function shapeFor(objects: number, runners: number): BenchShape {
  const perRunner = Math.max(1, Math.round(objects / runners));
  const integrationsPerRunner = Math.max(1, Math.round(perRunner / 5));
  return { runners, classesPerRunner: perRunner - integrationsPerRunner, integrationsPerRunner };
}

/** The point whose plan is also run through dist/cli.js. */
const CLI_POINT = 10_000;

async function measurePoint(
  objects: number,
  options: ScaleOptions,
  dir: string,
): Promise<MeasuredScalePoint> {
  const shape = shapeFor(objects, options.runners);
  const runners = generateDesiredState(shape);
  const emu = await startEmulator({ latencyMs: 0 });
  try {
    prepareEmulator(emu, runners);
    const drifted = seedSyncedState(emu, runners, options.driftEvery);
    const file = join(dir, `runner-config-${objects}.yaml`);
    writeFileSync(file, toRunnerConfigYaml(runners));
    const env = {
      BENCH_GITPOD_URL: emu.url,
      BENCH_GITPOD_TOKEN: emu.token,
      BENCH_CONFIG_PATH: file,
      BENCH_CONCURRENCY: String(options.concurrency),
    };
    const runs: ScalePlanStats[] = [];
    const load: number[] = [];
    let requests: RpcCounts = {};
    for (let run = 0; run < Math.max(1, options.runs); run++) {
      emu.requests.clear();
      load.push(loadNow());
      runs.push(await runChild<ScalePlanStats>("scale-point", { ...env, BENCH_SCALE_MODE: "plan" }));
      requests = countByRpc(emu.requests.entries);
    }
    // The target point again through the CLI users run: its memory is the product's, not a worker's.
    let cli: MeasuredScalePoint["cli"];
    if (objects === CLI_POINT) {
      const cliRuns: ProcessStats[] = [];
      for (let run = 0; run < Math.max(1, options.runs); run++)
        cliRuns.push(
          await runCliProcess(["plan", "--config", file, "--api-url", emu.url], {
            GITPOD_API_KEY: emu.token,
            ...benchEnv(),
          }),
        );
      cli = {
        peakRssBytes: spread(cliRuns.map((r) => r.peakRssBytes)),
        cpuMs: spread(cliRuns.map((r) => r.cpuMs)),
      };
    }
    // --expose-gc only here: this process also reports the live heap after the load.
    const phases = await runChild<ScalePhaseStats>("scale-point", { ...env, BENCH_SCALE_MODE: "phases" }, [
      "--expose-gc",
    ]);
    const wall = spread(runs.map((r) => r.planWallMs));
    const cpu = spread(runs.map((r) => r.planCpuMs));
    const rss = spread(runs.map((r) => r.peakRssBytes));
    return {
      objects: objectCount(shape),
      drifted,
      operations: runs[0]?.operations ?? 0,
      wallMs: wall.median,
      cpuMs: cpu.median,
      diffCpuMs: phases.diffCpuMs,
      peakRssBytes: rss.median,
      baselineRssBytes: median(runs.map((r) => r.baselineRssBytes)),
      requests,
      phases,
      spread: { wallMs: wall, cpuMs: cpu, peakRssBytes: rss },
      load,
      ...(cli ? { cli } : {}),
    };
  } finally {
    await emu.close();
  }
}

/** log10 growth of cost between two sizes: 1 is linear, 2 quadratic. */
export function growthExponent(
  a: { objects: number; cost: number },
  b: { objects: number; cost: number },
): number {
  return Math.log(b.cost / a.cost) / Math.log(b.objects / a.objects);
}

/** Least-squares line cost = intercept + slope x objects, with R^2. */
export function linearFit(points: ReadonlyArray<{ objects: number; cost: number }>): {
  slope: number;
  intercept: number;
  r2: number;
} {
  const n = points.length;
  const meanX = points.reduce((sum, p) => sum + p.objects, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.cost, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const p of points) {
    sxy += (p.objects - meanX) * (p.cost - meanY);
    sxx += (p.objects - meanX) ** 2;
    syy += (p.cost - meanY) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const intercept = meanY - slope * meanX;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept, r2 };
}

export interface ScaleResult {
  report: ScenarioReport;
  points: MeasuredScalePoint[];
}

export async function runScale(options: ScaleOptions): Promise<ScaleResult> {
  const dir = mkdtempSync(join(tmpdir(), "runner-config-bench-"));
  const points: MeasuredScalePoint[] = [];
  try {
    for (const objects of options.points) points.push(await measurePoint(objects, options, dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const scenario = "4 scale (plan)";
  const rows: Row[] = points.map((point) => ({
    scenario,
    measure: `${point.objects.toLocaleString("en-US")} objects`,
    value: `CPU ${spreadText(point.spread.cpuMs)}, wall ${ms(point.wallMs)}, RSS ${megabytes(point.peakRssBytes)}`,
    reference: `CPU: file ${ms(point.phases.loadCpuMs)}, reads ${ms(point.phases.readCpuMs)}, diff ${ms(point.phases.diffCpuMs)}`,
    ratio: `${((point.cpuMs / point.objects) * 1000).toFixed(0)} us/object`,
    verdict: "-",
  }));
  const target = points.find((point) => point.objects === 10_000) ?? points[points.length - 1];
  const largest = points[points.length - 1];
  const fitted = points.filter((point) => point.objects >= 1000);
  if (largest && fitted.length >= 2) {
    const fit = linearFit(fitted.map((point) => ({ objects: point.objects, cost: point.cpuMs })));
    const from = fitted[fitted.length - 2] as MeasuredScalePoint;
    const exponent = growthExponent(
      { objects: from.objects, cost: from.cpuMs },
      { objects: largest.objects, cost: largest.cpuMs },
    );
    const diffExponent = growthExponent(
      { objects: from.objects, cost: from.diffCpuMs ?? 0 },
      { objects: largest.objects, cost: largest.diffCpuMs ?? 0 },
    );
    rows.push(
      {
        scenario,
        measure: `linear fit of CPU, ${fitted.map((p) => p.objects / 1000).join("k, ")}k`,
        value: `${ms(fit.intercept)} + ${(fit.slope * 1000).toFixed(0)} us x objects`,
        reference: `R^2 ${fit.r2.toFixed(4)}`,
        ratio: `${largest.objects.toLocaleString("en-US")}: fit ${ms(fit.intercept + fit.slope * largest.objects)}`,
        verdict: "-",
      },
      {
        scenario,
        measure: `growth ${from.objects.toLocaleString("en-US")} -> ${largest.objects.toLocaleString("en-US")}`,
        value: `CPU x^${exponent.toFixed(2)}, diff x^${diffExponent.toFixed(2)}`,
        reference: "linear x^1, quadratic x^2",
        target: "linear (< x^1.2, R^2 > 0.98)",
        verdict: verdict(exponent < 1.2 && diffExponent < 1.2 && fit.r2 > 0.98),
      },
    );
  }
  if (target) {
    rows.push(
      {
        scenario,
        measure: `${target.objects.toLocaleString("en-US")}-object plan CPU`,
        value: spreadText(target.spread.cpuMs),
        target: "< 1.5 s",
        verdict: verdict(target.cpuMs < 1500),
      },
      {
        scenario,
        measure: `${target.objects.toLocaleString("en-US")}-object plan peak RSS`,
        value: spreadText(target.spread.peakRssBytes, megabytes),
        reference: `node at start ${megabytes(target.baselineRssBytes)}`,
        target: "< 200 MB",
        verdict: verdict(target.peakRssBytes < 200 * 1024 * 1024),
      },
    );
    if (target.cli)
      rows.push({
        scenario,
        measure: `  the same plan, node dist/cli.js plan, peak RSS`,
        value: spreadText(target.cli.peakRssBytes, megabytes),
        reference: `CPU ${spreadText(target.cli.cpuMs)} (process start to exit)`,
        target: "< 200 MB",
        verdict: verdict(target.cli.peakRssBytes.median < 200 * 1024 * 1024),
      });
  }
  const notes = [
    `each point: ${options.runs} plan runs (median, min..max), load average before them: ${points.map((p) => `${p.objects}: ${p.load.map((l) => l.toFixed(2)).join("/")}`).join("; ")}; ${options.runners} runners, 80% environment classes and 20% SCM integrations, every ${options.driftEvery}th class drifted; a fresh Node process per point (RSS is that process's peak); CPU and wall cover reading the file, the schema and list reads, the diff and server-side validation of the changed items. The file/reads/diff split comes from a second fresh process that times the engine's pieces one by one.`,
  ];
  if (target) {
    notes.push(
      `${target.objects.toLocaleString("en-US")} objects: RSS is ${megabytes(target.phases.rssAfterLoadBytes)} right after the engine has read the file (${megabytes(target.baselineRssBytes)} before; live heap after a full GC ${megabytes(target.phases.liveHeapAfterLoadBytes ?? 0)}), and the file read takes ${ms(target.phases.loadCpuMs)} of CPU against ${ms(target.phases.diffCpuMs)} for the diff. Peak RSS above Node's start is ${megabytes(target.peakRssBytes - target.baselineRssBytes)} while the live heap is a fraction of it: the rest is short-lived garbage (the YAML parser's events, the 100-object JSON pages and their validation) held in V8's young generation and heap slack until it is collected. Every plan process here keeps its young generation at the size it has when the work starts (action/young-generation.ts, called by dist/index.js and dist/cli.js too); left to V8's default it grows to 64 MB per semi-space for this burst (npm run bench:profile -- plan compares both). The "node dist/cli.js plan" row is the same plan through the CLI as users run it. The diff's CPU is timed after a full GC, so the reads' garbage is not counted as the diff's.`,
    );
  }
  return {
    points,
    report: {
      id: "scale",
      title: "Scale curve",
      rows,
      requests: points.map((point) => ({ run: `4 plan: ${point.objects} objects`, counts: point.requests })),
      data: { options, points },
      notes,
    },
  };
}
