/**
 * Child process for `npm run bench:profile`, the 10,000-object plan's memory. BENCH_PROFILE_MODE
 * "phases": the engine's pieces (load, reads, diff) one by one with process.memoryUsage() and the
 * peak RSS so far (maxRSS) after each, then the whole runSync plan as the action runs it.
 * "allocations": the whole plan under V8's sampling heap profiler, counting garbage too (objects a
 * minor or major GC collected), so the top allocating functions are the ones that make the peak.
 */

import { readFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { SourceMap } from "node:module";
import { clientFor } from "../../action/client.js";
import { keepYoungGenerationSmall } from "../../action/young-generation.js";
import { loadRunnerConfig } from "../../shared/config/load.js";
import { readCurrentState } from "../../shared/sync/current-state.js";
import { buildPlan } from "../../shared/sync/plan.js";
import { BENCH_CONFIG_FILE, benchEnv, engineSync } from "../lib/engine.js";
import { type AllocationNode, topAllocations } from "../profile/allocations.js";
import { ownStats, send } from "./protocol.js";

export interface MemoryMark {
  phase: string;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  arrayBuffersBytes: number;
  /** Peak RSS of the process so far (getrusage maxRSS). */
  peakRssBytes: number;
}

function mark(phase: string): MemoryMark {
  const m = process.memoryUsage();
  return {
    phase,
    rssBytes: m.rss,
    heapUsedBytes: m.heapUsed,
    heapTotalBytes: m.heapTotal,
    externalBytes: m.external,
    arrayBuffersBytes: m.arrayBuffers,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const PLAN_OPTIONS = { prune: false, allowDestructive: false, rotateSecrets: false };

async function phases(target: { url: string; token: string }, text: string): Promise<MemoryMark[]> {
  const marks = [mark("node started, modules loaded, file text read")];
  const loaded = loadRunnerConfig(BENCH_CONFIG_FILE, text, benchEnv());
  if (!loaded.desired) throw new Error("the generated file did not load");
  const desired = loaded.desired;
  marks.push(mark("file loaded (YAML, schema, secret references)"));
  const client = clientFor(target.token, target.url, {}, 8);
  try {
    const current = await readCurrentState(
      client,
      desired.runners.map((runner) => runner.id),
    );
    marks.push(mark("current state read (all list pages)"));
    const plan = buildPlan(desired, current.runners, PLAN_OPTIONS);
    marks.push(mark(`diff built (${plan.runners.length} runners)`));
  } finally {
    await client.close();
  }
  return marks;
}

async function main(): Promise<void> {
  // As dist/index.js and dist/cli.js do once loaded; BENCH_PROFILE_YOUNG=grow leaves V8's default.
  if (process.env.BENCH_PROFILE_YOUNG !== "grow") keepYoungGenerationSmall();
  const target = { url: required("BENCH_GITPOD_URL"), token: required("BENCH_GITPOD_TOKEN") };
  const text = readFileSync(required("BENCH_CONFIG_PATH"), "utf8");
  const concurrency = Number(required("BENCH_CONCURRENCY"));
  if (required("BENCH_PROFILE_MODE") === "phases") {
    const marks = await phases(target, text);
    send({ type: "stats", stats: { ...ownStats(), marks } });
    return;
  }
  if (required("BENCH_PROFILE_MODE") === "whole") {
    await engineSync(target, text, "plan", concurrency);
    send({ type: "stats", stats: { ...ownStats(), marks: [mark("whole runSync plan done")] } });
    return;
  }
  const session = new Session();
  session.connect();
  await session.post("HeapProfiler.enable");
  await session.post("HeapProfiler.startSampling", {
    samplingInterval: 16 * 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  await engineSync(target, text, "plan", concurrency);
  const { profile } = (await session.post("HeapProfiler.getSamplingProfile")) as {
    profile: { head: AllocationNode };
  };
  await session.post("HeapProfiler.stopSampling");
  session.disconnect();
  // This worker is a bundle (bench/lib/child.ts); its map names the TypeScript files.
  const ownUrl = import.meta.url;
  const map = new SourceMap(JSON.parse(readFileSync(new URL(`${ownUrl}.map`), "utf8")));
  const summary = topAllocations(profile.head, new Map([[ownUrl, map]]));
  send({ type: "stats", stats: { ...ownStats(), ...summary } });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    send({ type: "error", message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  },
);
