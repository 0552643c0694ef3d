/**
 * Scenario 4b, a large change: 10,000 objects of which 10% differ from the runners (an apply:
 * plan, server-side validation and 1,000 writes), and 10,000 new objects that are all invalid (a
 * plan whose every item the server rejects: the error path). No latency: this measures the engine's
 * own work, where a quadratic step would show. Each run is a fresh process on a fresh emulator.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../../test/emulator/index.js";
import { runChild } from "../lib/child.js";
import {
  addRunnersOnly,
  generateDesiredState,
  invalidDesiredState,
  objectCount,
  prepareEmulator,
  seedSyncedState,
  toRunnerConfigYaml,
} from "../lib/desired-state.js";
import { loadNow, type Spread, spread } from "../lib/measure.js";
import { megabytes, ms, type Row, type ScenarioReport, spreadText, verdict } from "../lib/report.js";
import type { ScalePlanStats } from "../workers/scale-point.js";
import { shapeFor } from "./scale.js";

export interface LargeChangeOptions {
  objects: number;
  runners: number;
  concurrency: number;
  /** Share of the objects that differ from the runners in the apply. */
  changedFraction: number;
  runs: number;
}

export const FULL_LARGE_CHANGE: LargeChangeOptions = {
  objects: 10_000,
  runners: 10,
  concurrency: 8,
  changedFraction: 0.1,
  runs: 5,
};

interface Measured {
  cpuMs: Spread;
  wallMs: Spread;
  peakRssBytes: Spread;
  load: number[];
  operations: number;
  issues: number;
  writes: number;
}

function summarize(runs: ScalePlanStats[], load: number[], writes: number): Measured {
  return {
    cpuMs: spread(runs.map((r) => r.planCpuMs)),
    wallMs: spread(runs.map((r) => r.planWallMs)),
    peakRssBytes: spread(runs.map((r) => r.peakRssBytes)),
    load,
    operations: runs[0]?.operations ?? 0,
    issues: runs[0]?.issues ?? 0,
    writes,
  };
}

export async function runLargeChange(
  options: LargeChangeOptions,
): Promise<{ report: ScenarioReport; changed: Measured; invalid: Measured }> {
  const shape = shapeFor(options.objects, options.runners);
  const runners = generateDesiredState(shape);
  const objects = objectCount(shape);
  const classes = shape.runners * shape.classesPerRunner;
  const driftEvery = Math.max(1, Math.round(classes / (objects * options.changedFraction)));
  const dir = mkdtempSync(join(tmpdir(), "runner-config-large-"));
  const env = (url: string, token: string, file: string) => ({
    BENCH_GITPOD_URL: url,
    BENCH_GITPOD_TOKEN: token,
    BENCH_CONFIG_PATH: file,
    BENCH_CONCURRENCY: String(options.concurrency),
  });
  try {
    // 10% changed: an apply on a fresh emulator per run.
    const file = join(dir, "changed.yaml");
    writeFileSync(file, toRunnerConfigYaml(runners));
    const changedRuns: ScalePlanStats[] = [];
    const changedLoad: number[] = [];
    let drifted = 0;
    let writes = 0;
    for (let run = 0; run < Math.max(1, options.runs); run++) {
      const emu = await startEmulator({ latencyMs: 0 });
      try {
        prepareEmulator(emu, runners);
        drifted = seedSyncedState(emu, runners, driftEvery);
        changedLoad.push(loadNow());
        changedRuns.push(
          await runChild<ScalePlanStats>("scale-point", {
            ...env(emu.url, emu.token, file),
            BENCH_SCALE_MODE: "apply",
          }),
        );
        writes = emu.requests.writes().length;
      } finally {
        await emu.close();
      }
    }
    // 100% invalid: every item new and rejected by the server; a plan writes nothing, one emulator.
    const invalidFile = join(dir, "invalid.yaml");
    writeFileSync(invalidFile, toRunnerConfigYaml(invalidDesiredState(runners)));
    const invalidRuns: ScalePlanStats[] = [];
    const invalidLoad: number[] = [];
    let invalidWrites = 0;
    const emu = await startEmulator({ latencyMs: 0 });
    try {
      addRunnersOnly(emu, runners);
      for (let run = 0; run < Math.max(1, options.runs); run++) {
        invalidLoad.push(loadNow());
        invalidRuns.push(
          await runChild<ScalePlanStats>("scale-point", {
            ...env(emu.url, emu.token, invalidFile),
            BENCH_SCALE_MODE: "invalid",
          }),
        );
      }
      invalidWrites = emu.requests.writes().length;
    } finally {
      await emu.close();
    }
    const changed = summarize(changedRuns, changedLoad, writes);
    const invalid = summarize(invalidRuns, invalidLoad, invalidWrites);
    const scenario = "4b large change";
    const n = objects.toLocaleString("en-US");
    const rows: Row[] = [
      {
        scenario,
        measure: `apply, ${n} objects, ${drifted} changed`,
        value: `CPU ${spreadText(changed.cpuMs)}`,
        reference: `wall ${ms(changed.wallMs.median)}, RSS ${megabytes(changed.peakRssBytes.median)}`,
        ratio: `${((changed.cpuMs.median / objects) * 1000).toFixed(0)} us/object`,
        target: `${drifted} writes`,
        verdict: verdict(changed.writes === drifted),
      },
      {
        scenario,
        measure: `plan, ${n} new objects, all invalid`,
        value: `CPU ${spreadText(invalid.cpuMs)}`,
        reference: `wall ${ms(invalid.wallMs.median)}, RSS ${megabytes(invalid.peakRssBytes.median)}`,
        ratio: `${((invalid.cpuMs.median / objects) * 1000).toFixed(0)} us/object`,
        target: `every item reported, 0 writes`,
        verdict: verdict(invalid.issues >= objects && invalid.writes === 0),
      },
    ];
    return {
      changed,
      invalid,
      report: {
        id: "large-change",
        title: "Large change",
        rows,
        requests: [],
        data: { options, objects, drifted, changed, invalid },
        notes: [
          `${options.runs} runs each (median, min..max), no latency, a fresh process per run; load average before each run: apply ${changed.load.map((l) => l.toFixed(2)).join("/")}, invalid ${invalid.load.map((l) => l.toFixed(2)).join("/")}. The invalid plan reported ${invalid.issues} problems for ${objects} items (every class's display name is shorter than the API's 3 characters; no SCM host knows the OAuth client).`,
        ],
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
