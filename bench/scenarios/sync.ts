/**
 * Scenarios 1-3, each repeated `runs` times on fresh emulators with injected latency: cold apply of
 * the generated file (the engine as shipped, the engine without server-side validation of
 * environment classes, the competent SDK peer and the naive SDK peer, each on its own emulator),
 * a no-op re-sync of the same file, and a drift repair after 5% of the objects were changed by hand.
 */

import { GitpodClient } from "../../shared/api/index.js";
import { connectionsFor, validationConcurrency } from "../../shared/sync/engine.js";
import { type Emulator, type RequestLogEntry, startEmulator } from "../../test/emulator/index.js";
import {
  type BenchShape,
  type DesiredRunner,
  generateDesiredState,
  objectCount,
  prepareEmulator,
  toNaiveState,
  toRunnerConfigYaml,
} from "../lib/desired-state.js";
import { engineSync } from "../lib/engine.js";
import { lowerBound } from "../lib/lower-bound.js";
import { loadNow, measure, type Spread, spread } from "../lib/measure.js";
import { ms, type Row, ratio, type ScenarioReport, spreadText, verdict } from "../lib/report.js";
import { countByRpc, type RpcCounts, totalRequests, writeRequests } from "../lib/rpc-counts.js";
import { competentSdkSync } from "../peers/competent-sdk-sync.js";
import { naiveSdkSync } from "../peers/naive-sdk-sync.js";

export interface SyncBenchOptions {
  shape: BenchShape;
  latencyMs: number;
  concurrency: number;
  /** Share of the objects changed out of band before the drift apply. */
  driftFraction: number;
  /** Repetitions; every figure is the median (with min and max) of these. */
  runs: number;
}

export const FULL_SYNC: SyncBenchOptions = {
  shape: { runners: 10, classesPerRunner: 40, integrationsPerRunner: 10 },
  latencyMs: 20,
  concurrency: 8,
  driftFraction: 0.05,
  runs: 5,
};

/** The API's page size for List calls made by the engine. */
const PAGE_SIZE = 100;

interface SyncTimings {
  cold: Spread;
  coldLocal: Spread;
  competent: Spread;
  naive: Spread;
  noop: Spread;
  naiveNoop: Spread;
  drift: Spread;
  /** 1-minute load average at the start of each run. */
  load: number[];
}

/** Invariants of one run (the last), and every run's timings. */
interface SyncFacts {
  objects: number;
  cold: { wallMs: number; cpuMs: number; requests: RpcCounts; createsOnce: boolean; storedObjects: number };
  coldLocal: { requests: RpcCounts; createsOnce: boolean };
  competent: { requests: RpcCounts; created: number; validated: number };
  peerCold: { wallMs: number; requests: RpcCounts; created: number };
  noop: { wallMs: number; requests: RpcCounts; writes: number; minimumRequests: number };
  peerNoop: { wallMs: number; requests: RpcCounts; created: number };
  drift: { changed: number; writes: number; repairedExactly: boolean; wallMs: number; requests: RpcCounts };
  lowerBound: ReturnType<typeof lowerBound>;
  lowerBoundLocal: ReturnType<typeof lowerBound>;
  widths: { pool: number; validation: number; write: number };
  timings: SyncTimings;
}

export interface SyncBenchResult {
  reports: ScenarioReport[];
  facts: SyncFacts;
}

function keyOfCreate(entry: RequestLogEntry): string {
  const body = entry.body as { runnerId?: string; displayName?: string; host?: string };
  return `${entry.rpc}|${body.runnerId}|${body.displayName ?? body.host}`;
}

/** Every desired object was created exactly once (no duplicates, none missing). */
function createdEachOnce(entries: readonly RequestLogEntry[], runners: readonly DesiredRunner[]): boolean {
  const creates = entries.filter((entry) => entry.rpc.startsWith("Create") && entry.status === 200);
  const keys = new Set(creates.map(keyOfCreate));
  const expected = new Set(
    runners.flatMap((runner) => [
      ...runner.environmentClasses.map((c) => `CreateEnvironmentClass|${runner.id}|${c.displayName}`),
      ...runner.scmIntegrations.map((i) => `CreateSCMIntegration|${runner.id}|${i.host}`),
    ]),
  );
  return (
    creates.length === expected.size && keys.size === expected.size && [...expected].every((k) => keys.has(k))
  );
}

/**
 * The fewest requests a no-op sync can make: one schema per runner, and every page of both lists,
 * walked per runner (in parallel, so the page chain is one runner's, not all runners' pages).
 */
export function minimumNoopRequests(shape: BenchShape): number {
  const pages = (items: number) => Math.max(1, Math.ceil(items / PAGE_SIZE));
  return shape.runners * (1 + pages(shape.classesPerRunner) + pages(shape.integrationsPerRunner));
}

interface Drifted {
  /** What the repair must touch: an object id (updates) or runner|host (a deleted integration is re-created). */
  targets: Set<string>;
}

/** Changes every k-th object out of band through the API, cycling through the kinds of drift. */
async function applyDrift(emu: Emulator, fraction: number): Promise<Drifted> {
  const client = new GitpodClient({ baseUrl: emu.url, apiKey: emu.token });
  const objects = [
    ...[...emu.state.environmentClasses.values()].map((c) => ({
      kind: "class" as const,
      id: c.id,
      runnerId: c.runnerId,
      host: "",
    })),
    ...[...emu.state.scmIntegrations.values()].map((i) => ({
      kind: "scm" as const,
      id: i.id,
      runnerId: i.runnerId,
      host: i.host,
    })),
  ];
  const count = Math.max(1, Math.round(objects.length * fraction));
  const step = objects.length / count;
  const targets = new Set<string>();
  let classTurn = 0;
  let scmTurn = 0;
  try {
    for (let n = 0; n < count; n++) {
      const object = objects[Math.floor(n * step)];
      if (!object) continue;
      if (object.kind === "class") {
        if (classTurn++ % 2 === 0) {
          await client.environmentClasses.update({
            environmentClassId: object.id,
            description: "changed by hand",
          });
        } else {
          await client.environmentClasses.update({ environmentClassId: object.id, enabled: false });
        }
        targets.add(object.id);
      } else if (scmTurn++ % 2 === 0) {
        await client.scmIntegrations.update({ id: object.id, pat: false });
        targets.add(object.id);
      } else {
        await client.scmIntegrations.delete({ id: object.id });
        targets.add(`${object.runnerId}|${object.host.toLowerCase()}`);
      }
    }
  } finally {
    await client.close();
  }
  return { targets };
}

function writeTarget(entry: RequestLogEntry): string {
  const body = entry.body as { environmentClassId?: string; id?: string; runnerId?: string; host?: string };
  if (entry.rpc.startsWith("Create")) return `${body.runnerId}|${(body.host ?? "").toLowerCase()}`;
  return body.environmentClassId ?? body.id ?? "?";
}

async function withEmulator<T>(
  latencyMs: number,
  runners: readonly DesiredRunner[],
  work: (emu: Emulator) => Promise<T>,
): Promise<T> {
  const emu = await startEmulator({ latencyMs });
  try {
    prepareEmulator(emu, runners);
    return await work(emu);
  } finally {
    await emu.close();
  }
}

interface OneRun {
  facts: Omit<SyncFacts, "timings" | "lowerBound" | "lowerBoundLocal" | "widths" | "objects">;
  wall: Record<Exclude<keyof SyncTimings, "load">, number>;
}

async function runOnce(options: SyncBenchOptions, runners: DesiredRunner[], text: string): Promise<OneRun> {
  const { latencyMs, concurrency } = options;
  const naive = toNaiveState(runners);
  const widths = { writeConcurrency: concurrency, validationWidth: validationConcurrency(concurrency) };

  // 1. Cold apply, the engine as shipped; then 2 (no-op) and 3 (drift) on the same emulator.
  const engine = await withEmulator(latencyMs, runners, async (emu) => {
    const target = { url: emu.url, token: emu.token };
    const cold = await measure(() => engineSync(target, text, "apply", concurrency));
    const coldEntries = [...emu.requests.entries];
    emu.requests.clear();
    const noop = await measure(() => engineSync(target, text, "apply", concurrency));
    const noopCounts = countByRpc(emu.requests.entries);
    const drifted = await applyDrift(emu, options.driftFraction);
    emu.requests.clear();
    const drift = await measure(() => engineSync(target, text, "apply", concurrency));
    const driftWrites = emu.requests.writes();
    const repairedTargets = driftWrites.map(writeTarget);
    const repairedExactly =
      repairedTargets.length === drifted.targets.size &&
      new Set(repairedTargets).size === drifted.targets.size &&
      repairedTargets.every((t) => drifted.targets.has(t));
    return {
      cold: {
        wallMs: cold.wallMs,
        cpuMs: cold.cpuMs,
        requests: countByRpc(coldEntries),
        createsOnce: createdEachOnce(coldEntries, runners),
        storedObjects: coldStored(coldEntries),
      },
      noop: {
        wallMs: noop.wallMs,
        requests: noopCounts,
        writes: writeRequests(noopCounts),
        minimumRequests: minimumNoopRequests(options.shape),
      },
      drift: {
        changed: drifted.targets.size,
        writes: driftWrites.length,
        repairedExactly,
        wallMs: drift.wallMs,
        requests: countByRpc(emu.requests.entries),
      },
    };
  });
  // 1b. The engine without server-side validation of environment classes (schema check only).
  const local = await withEmulator(latencyMs, runners, async (emu) => {
    const run = await measure(() =>
      engineSync({ url: emu.url, token: emu.token }, text, "apply", concurrency, {
        serverValidationAfterSchemaCheck: false,
      }),
    );
    const entries = [...emu.requests.entries];
    return {
      wallMs: run.wallMs,
      requests: countByRpc(entries),
      createsOnce: createdEachOnce(entries, runners),
    };
  });
  // 1c. The competent SDK peer.
  const competent = await withEmulator(latencyMs, runners, async (emu) => {
    const run = await measure(() => competentSdkSync(emu.url, emu.token, naive, widths));
    return { wallMs: run.wallMs, requests: countByRpc(emu.requests.entries), ...run.value };
  });
  // 1d/2. The naive SDK peer, cold and again on its synced state.
  const naiveRuns = await withEmulator(latencyMs, runners, async (emu) => {
    const cold = await measure(() => naiveSdkSync(emu.url, emu.token, naive));
    const coldCounts = countByRpc(emu.requests.entries);
    emu.requests.clear();
    const again = await measure(() => naiveSdkSync(emu.url, emu.token, naive));
    return {
      cold: { wallMs: cold.wallMs, requests: coldCounts, created: cold.value.created },
      noop: {
        wallMs: again.wallMs,
        requests: countByRpc(emu.requests.entries),
        created: again.value.created,
      },
    };
  });
  return {
    facts: {
      cold: engine.cold,
      coldLocal: { requests: local.requests, createsOnce: local.createsOnce },
      competent: { requests: competent.requests, created: competent.created, validated: competent.validated },
      peerCold: naiveRuns.cold,
      noop: engine.noop,
      peerNoop: naiveRuns.noop,
      drift: engine.drift,
    },
    wall: {
      cold: engine.cold.wallMs,
      coldLocal: local.wallMs,
      competent: competent.wallMs,
      naive: naiveRuns.cold.wallMs,
      noop: engine.noop.wallMs,
      naiveNoop: naiveRuns.noop.wallMs,
      drift: engine.drift.wallMs,
    },
  };
}

/**
 * The fastest a cold apply can be with the widths the engine really runs: reads through the pool
 * (each runner's lists walked in parallel: the chain is one runner's pages), validations at the
 * validation width (itself capped by the pool), writes at the write concurrency.
 */
function coldApplyBound(
  options: Pick<SyncBenchOptions, "shape" | "latencyMs" | "concurrency">,
  validations: number,
) {
  const { shape, latencyMs, concurrency } = options;
  const pool = connectionsFor(concurrency);
  const pages = (items: number) => Math.max(1, Math.ceil(items / PAGE_SIZE));
  return lowerBound({
    readRequests: shape.runners * (1 + pages(shape.classesPerRunner) + pages(shape.integrationsPerRunner)),
    readChainDepth: Math.max(pages(shape.classesPerRunner), pages(shape.integrationsPerRunner)),
    readConcurrency: pool,
    validations,
    validationConcurrency: Math.min(pool, validationConcurrency(concurrency)),
    writes: objectCount(shape),
    concurrency,
    latencyMs,
  });
}

export async function runSyncScenarios(options: SyncBenchOptions): Promise<SyncBenchResult> {
  const { shape, concurrency } = options;
  const runners = generateDesiredState(shape);
  const text = toRunnerConfigYaml(runners);
  const objects = objectCount(shape);
  const walls: OneRun["wall"][] = [];
  const load: number[] = [];
  let last: OneRun | undefined;
  for (let run = 0; run < Math.max(1, options.runs); run++) {
    load.push(loadNow());
    last = await runOnce(options, runners, text);
    walls.push(last.wall);
  }
  if (!last) throw new Error("no run");
  const series = (key: keyof OneRun["wall"]) => spread(walls.map((wall) => wall[key]));
  const integrations = shape.runners * shape.integrationsPerRunner;
  const facts: SyncFacts = {
    objects,
    ...last.facts,
    lowerBound: coldApplyBound(options, objects),
    lowerBoundLocal: coldApplyBound(options, integrations),
    widths: {
      pool: connectionsFor(concurrency),
      validation: Math.min(connectionsFor(concurrency), validationConcurrency(concurrency)),
      write: concurrency,
    },
    timings: {
      cold: series("cold"),
      coldLocal: series("coldLocal"),
      competent: series("competent"),
      naive: series("naive"),
      noop: series("noop"),
      naiveNoop: series("naiveNoop"),
      drift: series("drift"),
      load,
    },
  };
  return { reports: reportsOf(options, facts), facts };
}

/** Objects the cold apply created successfully (read from its log, before drift changed the state). */
function coldStored(entries: readonly RequestLogEntry[]): number {
  return entries.filter((entry) => entry.rpc.startsWith("Create") && entry.status === 200).length;
}

function reportsOf(options: SyncBenchOptions, facts: SyncFacts): ScenarioReport[] {
  const { shape, latencyMs, concurrency } = options;
  const t = facts.timings;
  const bound = facts.lowerBound;
  const boundLocal = facts.lowerBoundLocal;
  const shapeText = `${shape.runners} runners x (${shape.classesPerRunner} EC + ${shape.integrationsPerRunner} SCM)`;
  const scenario = "1 cold apply";
  const faster = (peer: number, ours: number) => `${(peer / ours).toFixed(2)}x faster`;
  const coldRows: Row[] = [
    {
      scenario,
      measure: `engine, ${facts.objects} creates @ ${latencyMs} ms`,
      value: spreadText(t.cold),
      reference: `bound ${ms(bound.withValidationsMs)}`,
      ratio: ratio(t.cold.median, bound.withValidationsMs),
      target: "<= 1.25x bound",
      verdict: verdict(t.cold.median <= 1.25 * bound.withValidationsMs),
    },
    { scenario, measure: "  its bound", value: bound.withValidationsFormula, verdict: "-" },
    {
      scenario,
      measure: "engine vs competent SDK peer",
      value: ms(t.cold.median),
      reference: `peer ${spreadText(t.competent)}`,
      ratio: faster(t.competent.median, t.cold.median),
      target: ">= 1.5x faster",
      verdict: verdict(t.competent.median >= 1.5 * t.cold.median),
    },
    {
      scenario,
      measure: "engine vs naive SDK peer",
      value: ms(t.cold.median),
      reference: `peer ${spreadText(t.naive)}`,
      ratio: faster(t.naive.median, t.cold.median),
      target: ">= 6x faster",
      verdict: verdict(t.naive.median >= 6 * t.cold.median),
    },
    {
      scenario,
      measure: "engine, EC checked by schema only",
      value: spreadText(t.coldLocal),
      reference: `bound ${ms(boundLocal.withValidationsMs)}`,
      ratio: ratio(t.coldLocal.median, boundLocal.withValidationsMs),
      target: "(not shipped)",
      verdict: "-",
    },
    { scenario, measure: "  its bound", value: boundLocal.withValidationsFormula, verdict: "-" },
    {
      scenario,
      measure: "  vs competent / naive peer",
      value: ms(t.coldLocal.median),
      reference: `${ms(t.competent.median)} / ${ms(t.naive.median)}`,
      ratio: `${(t.competent.median / t.coldLocal.median).toFixed(2)}x / ${(t.naive.median / t.coldLocal.median).toFixed(2)}x faster`,
      verdict: "-",
    },
    {
      scenario,
      measure: "created each object once",
      value: `${facts.cold.storedObjects} of ${facts.objects}`,
      reference: `competent ${facts.competent.created}, naive ${facts.peerCold.created}`,
      target: "all, once",
      verdict: verdict(facts.cold.createsOnce && facts.coldLocal.createsOnce),
    },
  ];
  const noopTotal = totalRequests(facts.noop.requests);
  const noopRows: Row[] = [
    {
      scenario: "2 no-op re-sync",
      measure: "writes",
      value: String(facts.noop.writes),
      reference: `naive peer ${writeRequests(facts.peerNoop.requests)}`,
      target: "0",
      verdict: verdict(facts.noop.writes === 0),
    },
    {
      scenario: "2 no-op re-sync",
      measure: "requests",
      value: String(noopTotal),
      reference: `minimum ${facts.noop.minimumRequests} (schema + each runner's list pages)`,
      ratio: ratio(noopTotal, facts.noop.minimumRequests),
      target: "= minimum",
      verdict: verdict(noopTotal === facts.noop.minimumRequests),
    },
    {
      scenario: "2 no-op re-sync",
      measure: "wall",
      value: spreadText(t.noop),
      reference: `naive peer ${ms(t.naiveNoop.median)} (${totalRequests(facts.peerNoop.requests)} requests)`,
      ratio: faster(t.naiveNoop.median, t.noop.median),
      verdict: "-",
    },
  ];
  const driftRows: Row[] = [
    {
      scenario: "3 drift",
      measure: `writes after ${facts.drift.changed} objects changed by hand`,
      value: String(facts.drift.writes),
      reference: `${facts.drift.changed} changed (${(options.driftFraction * 100).toFixed(0)}%)`,
      target: "exactly the changed ones",
      verdict: verdict(facts.drift.repairedExactly),
    },
    {
      scenario: "3 drift",
      measure: "wall",
      value: spreadText(t.drift),
      reference: `${totalRequests(facts.drift.requests)} requests`,
      verdict: "-",
    },
  ];
  const w = facts.widths;
  const coldNotes = [
    `${shapeText}, ${latencyMs} ms per request, write concurrency ${concurrency}, ${options.runs} runs (median, min..max), each on fresh emulators; load average at the start of each run: ${t.load.map((l) => l.toFixed(2)).join(", ")}.`,
    `Bound = (ceil(reads / pool ${w.pool}) + ceil(validations / validation width ${w.validation}) + ceil(writes / write concurrency ${w.write})) x RTT: the widths the engine really runs (reads are each runner's lists in parallel through the pool; validations must all finish before the first write).`,
    `Competent peer: @gitpod/sdk, every runner's lists at once, validates every missing item ${w.validation} wide, then creates ${w.write} at a time (bench/peers/competent-sdk-sync.ts). With equal widths both are bound by the same ${bound.writeRoundTrips} write rounds, so ">= 1.5x faster" is out of reach for any engine that makes the same writes at the same concurrency: the best possible ratio is peer / our bound = ${(t.competent.median / bound.withValidationsMs).toFixed(2)}x.`,
    `Environment classes: the engine as shipped still asks the server to validate them after the live-schema check (the spec's ValidateRunnerConfiguration is the runner's own check and the spec does not promise it checks nothing beyond the schema; a rejected create mid-apply would leave the apply half done). "EC checked by schema only" measures the alternative (serverValidationAfterSchemaCheck: false): ${facts.coldLocal.requests.ValidateRunnerConfiguration ?? 0} validations instead of ${facts.cold.requests.ValidateRunnerConfiguration ?? 0}.`,
  ];
  return [
    {
      id: "cold-apply",
      title: "Cold apply",
      rows: coldRows,
      requests: [
        { run: "1 cold apply: engine", counts: facts.cold.requests },
        { run: "1 cold apply: engine, EC schema only", counts: facts.coldLocal.requests },
        { run: "1 cold apply: competent peer", counts: facts.competent.requests },
        { run: "1 cold apply: naive peer", counts: facts.peerCold.requests },
      ],
      data: {
        options,
        engine: facts.cold,
        timings: t,
        lowerBound: bound,
        lowerBoundSchemaOnly: boundLocal,
        widths: w,
      },
      notes: coldNotes,
    },
    {
      id: "noop",
      title: "No-op re-sync",
      rows: noopRows,
      requests: [
        { run: "2 no-op: engine", counts: facts.noop.requests },
        { run: "2 no-op: naive peer", counts: facts.peerNoop.requests },
      ],
      data: { engine: facts.noop, peer: facts.peerNoop, timings: { engine: t.noop, peer: t.naiveNoop } },
      notes: [],
    },
    {
      id: "drift",
      title: "Drift repair",
      rows: driftRows,
      requests: [{ run: "3 drift: engine", counts: facts.drift.requests }],
      data: { ...facts.drift, timings: t.drift },
      notes: [],
    },
  ];
}
