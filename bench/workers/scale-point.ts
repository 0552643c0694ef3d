/**
 * Child process for one point of the scale curve, so its peak RSS is its own. BENCH_SCALE_MODE
 * "plan": the same runSync call as the action's plan mode, on the file at BENCH_CONFIG_PATH against
 * the emulator at BENCH_GITPOD_URL. "phases": the engine's load, read and pure diff timed one by
 * one (a separate process, so neither run's garbage inflates the other's peak RSS). "apply": the
 * same as the action's apply mode. "invalid": a plan whose items the server rejects (issues counted).
 */
import { readFileSync } from "node:fs";
import { keepYoungGenerationSmall } from "../../action/young-generation.js";
import { engineSync, type PlanPhases, planPhases } from "../lib/engine.js";
import { cpuMsSince } from "../lib/measure.js";
import { ownStats, type ProcessStats, send } from "./protocol.js";

export interface ScalePlanStats extends ProcessStats {
  /** RSS after the modules were loaded, before any work. */
  baselineRssBytes: number;
  planWallMs: number;
  planCpuMs: number;
  operations: number;
  /** Problems the engine reported (mode "invalid"). */
  issues: number;
}

export type ScalePhaseStats = ProcessStats & PlanPhases;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  // As dist/index.js and dist/cli.js do once loaded (action/young-generation.ts).
  keepYoungGenerationSmall();
  const baselineRssBytes = process.memoryUsage().rss;
  const target = { url: required("BENCH_GITPOD_URL"), token: required("BENCH_GITPOD_TOKEN") };
  const text = readFileSync(required("BENCH_CONFIG_PATH"), "utf8");
  if (required("BENCH_SCALE_MODE") === "phases") {
    const phases = await planPhases(target, text);
    send({ type: "stats", stats: { ...ownStats(), ...phases } });
    return;
  }
  // "plan" and "apply" must succeed; "invalid" is a plan that must report problems (counted).
  const mode = required("BENCH_SCALE_MODE");
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const run = await engineSync(
    target,
    text,
    mode === "apply" ? "apply" : "plan",
    Number(required("BENCH_CONCURRENCY")),
    { expectIssues: mode === "invalid" },
  );
  const planWallMs = performance.now() - wallStart;
  const planCpuMs = cpuMsSince(cpuStart);
  const stats: ScalePlanStats = {
    ...ownStats(),
    baselineRssBytes,
    planWallMs,
    planCpuMs,
    operations: run.operations,
    issues: run.issues,
  };
  send({ type: "stats", stats: { ...stats } });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    send({ type: "error", message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  },
);
