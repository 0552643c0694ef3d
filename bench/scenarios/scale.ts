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
import {
  type BenchShape,
  generateDesiredState,
  objectCount,
  prepareEmulator,
  seedSyncedState,
  toRunnerConfigYaml,
} from "../lib/desired-state.js";
import { megabytes, ms, type Row, type ScenarioReport, verdict } from "../lib/report.js";
import { countByRpc, type RpcCounts } from "../lib/rpc-counts.js";
import type { ScalePoint } from "../lib/scale-chart.js";
import type { ScalePhaseStats, ScalePlanStats } from "../workers/scale-point.js";

export interface ScaleOptions {
  /** Object counts; each is split over `runners` runners, 80% environment classes, 20% SCM integrations. */
  points: number[];
  runners: number;
  concurrency: number;
  /** Every k-th environment class drifted (0: none). */
  driftEvery: number;
}

export const FULL_SCALE: ScaleOptions = {
  points: [100, 1000, 10_000],
  runners: 10,
  concurrency: 8,
  driftEvery: 100,
};

export interface MeasuredScalePoint extends ScalePoint {
  objects: number;
  drifted: number;
  operations: number;
  baselineRssBytes: number;
  requests: RpcCounts;
  phases: ScalePhaseStats;
}

export function shapeFor(objects: number, runners: number): BenchShape {
  const perRunner = Math.max(1, Math.round(objects / runners));
  const integrationsPerRunner = Math.max(1, Math.round(perRunner / 5));
  return { runners, classesPerRunner: perRunner - integrationsPerRunner, integrationsPerRunner };
}

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
    const stats = await runChild<ScalePlanStats>("scale-point", { ...env, BENCH_SCALE_MODE: "plan" });
    const requests = countByRpc(emu.requests.entries);
    const phases = await runChild<ScalePhaseStats>("scale-point", { ...env, BENCH_SCALE_MODE: "phases" });
    return {
      objects: objectCount(shape),
      drifted,
      operations: stats.operations,
      wallMs: stats.planWallMs,
      cpuMs: stats.planCpuMs,
      diffCpuMs: phases.diffCpuMs,
      peakRssBytes: stats.peakRssBytes,
      baselineRssBytes: stats.baselineRssBytes,
      requests,
      phases,
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
    value: `wall ${ms(point.wallMs)}, CPU ${ms(point.cpuMs)}, RSS ${megabytes(point.peakRssBytes)}`,
    reference: `CPU: file ${ms(point.phases.loadCpuMs)}, reads ${ms(point.phases.readCpuMs)}, diff ${ms(point.phases.diffCpuMs)}`,
    ratio: `${((point.cpuMs / point.objects) * 1000).toFixed(0)} us/object`,
    verdict: "-",
  }));
  const largest = points[points.length - 1];
  const previous = points[points.length - 2];
  if (largest && previous) {
    const cpuExponent = growthExponent(
      { objects: previous.objects, cost: previous.cpuMs },
      { objects: largest.objects, cost: largest.cpuMs },
    );
    const diffExponent = growthExponent(
      { objects: previous.objects, cost: previous.diffCpuMs ?? 0 },
      { objects: largest.objects, cost: largest.diffCpuMs ?? 0 },
    );
    const perObject = largest.cpuMs / largest.objects / (previous.cpuMs / previous.objects);
    rows.push(
      {
        scenario,
        measure: `growth ${previous.objects.toLocaleString("en-US")} -> ${largest.objects.toLocaleString("en-US")}`,
        value: `CPU x^${cpuExponent.toFixed(2)}, diff x^${diffExponent.toFixed(2)}`,
        reference: "linear x^1, quadratic x^2",
        ratio: `${perObject.toFixed(2)}x per object`,
        target: "linear (< x^1.3)",
        verdict: verdict(cpuExponent < 1.3 && diffExponent < 1.3),
      },
      {
        scenario,
        measure: `${largest.objects.toLocaleString("en-US")}-object plan CPU`,
        value: ms(largest.cpuMs),
        target: "< 2 s",
        verdict: verdict(largest.cpuMs < 2000),
      },
      {
        scenario,
        measure: `${largest.objects.toLocaleString("en-US")}-object plan peak RSS`,
        value: megabytes(largest.peakRssBytes),
        reference: `node at start ${megabytes(largest.baselineRssBytes)}`,
        target: "< 200 MB",
        verdict: verdict(largest.peakRssBytes < 200 * 1024 * 1024),
      },
    );
  }
  const notes = [
    `each point: ${options.runners} runners, 80% environment classes and 20% SCM integrations, every ${options.driftEvery}th class drifted; a fresh Node process per point (RSS is that process's peak); CPU and wall cover reading the file, the schema and list reads, the diff and server-side validation of the changed items. The file/reads/diff split comes from a second fresh process that times the engine's pieces one by one.`,
  ];
  if (largest) {
    notes.push(
      `${largest.objects.toLocaleString("en-US")} objects: RSS is ${megabytes(largest.phases.rssAfterLoadBytes)} right after the engine has read the file (${megabytes(largest.baselineRssBytes)} before), and the file read takes ${ms(largest.phases.loadCpuMs)} of CPU against ${ms(largest.phases.diffCpuMs)} for the diff.`,
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
