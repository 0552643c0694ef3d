/**
 * `npm run bench:profile`: profiles that explain the benchmark's misses (bench/README.md).
 * 1. The 10,000-object plan's peak RSS: memory after each engine phase (fresh process), the whole
 *    plan as shipped (young generation kept small, action/young-generation.ts) and with V8's default
 *    growth, and the functions that allocate the most bytes (V8 sampling heap profiler, garbage included).
 * 2. Action start: `node dist/index.js` as in scenario 5 under --cpu-prof with a preload probe that
 *    notes when undici creates the first request; CPU self time up to that moment per original
 *    source (through dist/action.js.map), and the boot / bundle-to-first-request split.
 * 3. Bot ack: the bot worker of scenario 6 (bench/workers/bot-server.ts, HTTP mode, Gitpod emulator at
 *    20 ms and the Slack stub in a backend process) under --cpu-prof while autocannon sends signed
 *    `list` commands at 100 connections, max rate; CPU self time per package / our module (through
 *    the worker bundle's source map), idle excluded; bare Bolt (the peer) profiled the same way, per command;
 *    and the signature check alone, Bolt's default against the bot's own (bot/slack/signed-receiver.ts).
 * Sizes: BENCH_PROFILE_OBJECTS (default 10000), BENCH_PROFILE_RUNS (default 5),
 * BENCH_PROFILE_BOT_SECONDS (default 5).
 */
import { spawn } from "node:child_process";
import { createSecretKey } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { verifySlackRequest } from "@slack/bolt";
import autocannon from "autocannon";
import { signatureProblem } from "../bot/slack/signed-receiver.js";
import { startEmulator } from "../test/emulator/index.js";
import { signedHeaders } from "../test/support/slack-signing.js";
import { buildWorker, runChild, startChild } from "./lib/child.js";
import {
  generateDesiredState,
  prepareEmulator,
  seedSyncedState,
  toRunnerConfigYaml,
} from "./lib/desired-state.js";
import { benchEnv } from "./lib/engine.js";
import { loadNow, median } from "./lib/measure.js";
import type { AllocationSummary } from "./profile/allocations.js";
import { type CpuProfile, cpuBySource } from "./profile/cpu-profile.js";
import { botServerEnv, commandBody, SIGNING_SECRET } from "./scenarios/bot-ack.js";
import { shapeFor } from "./scenarios/scale.js";
import type { BackendInfo } from "./workers/backend.js";
import type { BotServerInfo } from "./workers/bot-server.js";
import type { MemoryMark } from "./workers/plan-profile.js";
import type { ProcessStats } from "./workers/protocol.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OBJECTS = Number(process.env.BENCH_PROFILE_OBJECTS ?? 10_000);
const RUNS = Number(process.env.BENCH_PROFILE_RUNS ?? 5);
const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const say = (line = "") => process.stdout.write(`${line}\n`);

async function planMemory(dir: string): Promise<void> {
  const runners = generateDesiredState(shapeFor(OBJECTS, 10));
  const emu = await startEmulator({ latencyMs: 0 });
  try {
    prepareEmulator(emu, runners);
    seedSyncedState(emu, runners, 100);
    const file = join(dir, "runner-config.yaml");
    writeFileSync(file, toRunnerConfigYaml(runners));
    const env = {
      BENCH_GITPOD_URL: emu.url,
      BENCH_GITPOD_TOKEN: emu.token,
      BENCH_CONFIG_PATH: file,
      BENCH_CONCURRENCY: "8",
    };
    type Marked = ProcessStats & { marks: MemoryMark[] };
    say(`## ${OBJECTS.toLocaleString("en-US")}-object plan: memory after each phase (fresh process)`);
    const phases = await runChild<Marked>("plan-profile", { ...env, BENCH_PROFILE_MODE: "phases" });
    say("| phase | RSS | heap used | heap total | external | peak RSS so far |");
    say("| --- | --- | --- | --- | --- | --- |");
    for (const m of phases.marks)
      say(
        `| ${m.phase} | ${MB(m.rssBytes)} | ${MB(m.heapUsedBytes)} | ${MB(m.heapTotalBytes)} | ${MB(m.externalBytes)} | ${MB(m.peakRssBytes)} |`,
      );
    say();
    say(`## Whole runSync plan, peak RSS, median of ${RUNS} fresh processes, by young-generation size`);
    for (const [label, argv, young] of [
      ["as shipped (action/young-generation.ts keeps the young generation at its start size)", [], ""],
      ["young generation left to grow (V8's default, as before)", [], "grow"],
      [
        "--max-semi-space-size=4 (4 MB semi-spaces, a start flag the action cannot pass)",
        ["--max-semi-space-size=4"],
        "grow",
      ],
    ] as Array<[string, string[], string]>) {
      const peaks: number[] = [];
      const cpu: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const stats = await runChild<Marked>(
          "plan-profile",
          { ...env, BENCH_PROFILE_MODE: "whole", BENCH_PROFILE_YOUNG: young },
          argv,
        );
        peaks.push(stats.peakRssBytes);
        cpu.push(stats.cpuMs);
      }
      say(
        `- ${label}: peak RSS ${MB(median(peaks))} (${MB(Math.min(...peaks))}..${MB(Math.max(...peaks))}), process CPU ${median(cpu).toFixed(0)} ms`,
      );
    }
    say();
    const alloc = await runChild<ProcessStats & AllocationSummary>("plan-profile", {
      ...env,
      BENCH_PROFILE_MODE: "allocations",
    });
    say(
      `## Bytes allocated during the plan (sampling heap profiler, garbage included): ${MB(alloc.totalBytes)}`,
    );
    say("By source:");
    for (const f of alloc.byFile) say(`- ${f.file}: ${MB(f.bytes)}`);
    say("By function (self):");
    for (const f of alloc.byFunction) say(`- ${f.frame}: ${MB(f.bytes)}`);
    say();
  } finally {
    await emu.close();
  }
}

function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env))
    if (
      value !== undefined &&
      key !== "NODE_OPTIONS" &&
      !key.startsWith("INPUT_") &&
      !key.startsWith("GITHUB_")
    )
      env[key] = value;
  return env;
}

function runNode(args: string[], env: Record<string, string>, cwd: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    const keep = (chunk: Buffer) => {
      stderr += chunk.toString();
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`node exited with ${code}: ${stderr.slice(0, 500)}`)),
    );
  });
}

async function actionStart(dir: string): Promise<void> {
  const emu = await startEmulator({ latencyMs: 0 });
  try {
    const runners = generateDesiredState({ runners: 1, classesPerRunner: 2, integrationsPerRunner: 1 });
    prepareEmulator(emu, runners);
    seedSyncedState(emu, runners);
    const config = join(dir, "action-config.yaml");
    writeFileSync(config, toRunnerConfigYaml(runners));
    const bundle = join(REPO, "dist", "action.js");
    const maps = new Map([
      [pathToFileURL(bundle).href, new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, "utf8")))],
    ]);
    const boot: number[] = [];
    const toRequest: number[] = [];
    const total = new Map<string, number>();
    let profiledMs = 0;
    for (let run = 0; run < RUNS; run++) {
      const profDir = mkdtempSync(join(dir, "cpu-"));
      const probeOut = join(profDir, "probe.json");
      writeFileSync(join(profDir, "output"), "");
      writeFileSync(join(profDir, "summary"), "");
      await runNode(
        [
          "--cpu-prof",
          "--cpu-prof-interval=250",
          `--cpu-prof-dir=${profDir}`,
          `--import=${pathToFileURL(join(REPO, "bench", "profile", "first-request-probe.mjs")).href}`,
          join(REPO, "dist", "index.js"),
        ],
        {
          ...cleanEnv(),
          ...benchEnv(),
          BENCH_PROBE_OUT: probeOut,
          INPUT_CONFIG: config,
          INPUT_MODE: "plan",
          "INPUT_API-TOKEN": emu.token,
          "INPUT_API-URL": emu.url,
          INPUT_CONCURRENCY: "8",
          GITHUB_OUTPUT: join(profDir, "output"),
          GITHUB_STEP_SUMMARY: join(profDir, "summary"),
        },
        profDir,
      );
      const probe = JSON.parse(readFileSync(probeOut, "utf8")) as {
        processStart: number;
        preload: number;
        firstRequest: number;
      };
      const profileFile = readdirSync(profDir).find((name) => name.endsWith(".cpuprofile"));
      if (!profileFile) throw new Error("no .cpuprofile written");
      const profile = JSON.parse(readFileSync(join(profDir, profileFile), "utf8")) as CpuProfile;
      boot.push((probe.preload - probe.processStart) / 1000);
      toRequest.push((probe.firstRequest - probe.preload) / 1000);
      const summary = cpuBySource(profile, maps, probe.firstRequest, 1000);
      profiledMs += summary.totalMs;
      for (const s of summary.bySource) total.set(s.source, (total.get(s.source) ?? 0) + s.ms);
    }
    say(`## Action start under --cpu-prof (slower than unprofiled), ${RUNS} runs, medians`);
    say(`- process start to preload (Node boot): ${median(boot).toFixed(1)} ms`);
    say(
      `- preload to undici's first request (load dist/action.js, run to the first read): ${median(toRequest).toFixed(1)} ms`,
    );
    say(
      `CPU self time from profile start to the first request, mean per run (${(profiledMs / RUNS).toFixed(1)} ms profiled):`,
    );
    for (const [source, ms] of [...total.entries()].sort((a, b) => b[1] - a[1]).slice(0, 14))
      say(`- ${source}: ${(ms / RUNS).toFixed(1)} ms`);
    say();
  } finally {
    await emu.close();
  }
}

const BOT_SECONDS = Number(process.env.BENCH_PROFILE_BOT_SECONDS ?? 5);

/** Scenario 6's load: signed `list` commands, 100 connections, as fast as the bot answers. */
function flood(url: string, body: string, connections: number, seconds: number): Promise<autocannon.Result> {
  if (!url.startsWith("http://127.0.0.1:"))
    throw new Error(`refusing to load anything but 127.0.0.1: ${url}`);
  return autocannon({
    url,
    method: "POST",
    headers: signedHeaders(SIGNING_SECRET, body),
    body,
    connections,
    duration: seconds,
  });
}

interface BotProfile {
  mode: "bot" | "peer";
  commands: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  cpuMs: number;
  busyMs: number;
  bySource: Array<{ source: string; ms: number }>;
}

/** One worker (the bot, or scenario 6's bare Bolt peer) profiled under the flood. */
async function profileBotWorker(dir: string, mode: "bot" | "peer"): Promise<BotProfile> {
  const backend = await startChild<BackendInfo>("backend", { BENCH_LATENCY_MS: "20" });
  const profDir = mkdtempSync(join(dir, `${mode}-cpu-`));
  try {
    const worker = await startChild<BotServerInfo>("bot-server", botServerEnv(mode, backend.info), [
      "--cpu-prof",
      "--cpu-prof-interval=250",
      `--cpu-prof-dir=${profDir}`,
    ]);
    const body = commandBody(backend.info.responseUrl, "list");
    let result: autocannon.Result;
    let cpuMs: number;
    try {
      await flood(worker.info.url, body, 10, 1); // warm-up, as scenario 6
      const before = await worker.stats();
      result = await flood(worker.info.url, body, 100, BOT_SECONDS);
      cpuMs = (await worker.stats()).cpuMs - before.cpuMs;
    } finally {
      await worker.stop(); // the profile is written when the worker exits
    }
    const profileFile = readdirSync(profDir).find((name) => name.endsWith(".cpuprofile"));
    if (!profileFile) throw new Error(`the ${mode} worker wrote no .cpuprofile`);
    const profile = JSON.parse(readFileSync(join(profDir, profileFile), "utf8")) as CpuProfile;
    const bundle = await buildWorker("bot-server");
    const maps = new Map([
      [pathToFileURL(bundle).href, new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, "utf8")))],
    ]);
    const summary = cpuBySource(profile, maps, undefined, 1000);
    const idleMs = summary.bySource.find((s) => s.source === "(idle)")?.ms ?? 0;
    return {
      mode,
      commands: result.requests.total,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      non2xx: result.non2xx,
      cpuMs,
      busyMs: summary.totalMs - idleMs,
      bySource: summary.bySource.filter((s) => s.source !== "(idle)"),
    };
  } finally {
    await backend.stop();
  }
}

/**
 * The signature check alone, in this process: Bolt's verifySlackRequest (its default, tsscmp compare)
 * against the bot's own check (bot/slack/signed-receiver.ts), on scenario 6's signed `list` body.
 */
function signatureCheckCost(): { boltUs: number; botUs: number } {
  const body = commandBody("http://127.0.0.1:1/response/profile", "list");
  const headers = signedHeaders(SIGNING_SECRET, body);
  const timestamp = Number(headers["x-slack-request-timestamp"]);
  const rawBody = Buffer.from(body);
  const key = createSecretKey(Buffer.from(SIGNING_SECRET, "utf8"));
  const n = 50_000;
  const cpuUsPer = (check: () => void) => {
    for (let i = 0; i < 1000; i += 1) check(); // warm-up
    const start = process.cpuUsage();
    for (let i = 0; i < n; i += 1) check();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / n;
  };
  const boltUs = cpuUsPer(() =>
    verifySlackRequest({
      signingSecret: SIGNING_SECRET,
      body: rawBody.toString(),
      headers: {
        "x-slack-signature": headers["x-slack-signature"] ?? "",
        "x-slack-request-timestamp": timestamp,
      },
    }),
  );
  const botUs = cpuUsPer(() => {
    if (signatureProblem(key, headers, rawBody, Date.now()) !== undefined)
      throw new Error("signature refused");
  });
  return { boltUs, botUs };
}

async function botAck(dir: string): Promise<void> {
  const load = loadNow();
  const costs = [signatureCheckCost(), signatureCheckCost(), signatureCheckCost()];
  const signature = {
    boltUs: median(costs.map((c) => c.boltUs)),
    botUs: median(costs.map((c) => c.botUs)),
  };
  const peer = await profileBotWorker(dir, "peer");
  const bot = await profileBotWorker(dir, "bot");
  say(
    `## Bot ack under --cpu-prof (slower than unprofiled): ${BOT_SECONDS} s of signed \`list\` at 100 connections, max rate, Gitpod at 20 ms, bare Bolt then the bot; load ${load.toFixed(2)}`,
  );
  for (const p of [bot, peer])
    say(
      `- ${p.mode === "bot" ? "bot" : "bare Bolt"}: ${p.commands} commands acked, p50 ${p.p50Ms} ms, p99 ${p.p99Ms} ms, non-2xx ${p.non2xx}; process CPU during the load ${p.cpuMs.toFixed(0)} ms (${((p.cpuMs / Math.max(1, p.commands)) * 1000).toFixed(0)} us per command); ${p.busyMs.toFixed(0)} ms not idle in the whole profile (warm-up, load, follow-ups)`,
    );
  // Per command, so the bot and the peer compare although they answer different numbers of commands.
  const us = (p: BotProfile, source: string) =>
    ((p.bySource.find((s) => s.source === source)?.ms ?? 0) / Math.max(1, p.commands)) * 1000;
  say(
    "CPU self time per command acked (us), by package / our module / Node internal, the bot's largest first:",
  );
  say("| source | bot us/cmd | bot share | bare Bolt us/cmd | bot - Bolt |");
  say("| --- | --- | --- | --- | --- |");
  for (const s of bot.bySource.slice(0, 20))
    say(
      `| ${s.source} | ${us(bot, s.source).toFixed(1)} | ${((s.ms / bot.busyMs) * 100).toFixed(1)}% | ${us(peer, s.source).toFixed(1)} | ${(us(bot, s.source) - us(peer, s.source)).toFixed(1)} |`,
    );
  say();
  say(
    `Signature check alone, CPU per request (median of 3 x 50,000, in this process): Bolt's default (verifySlackRequest, tsscmp) ${signature.boltUs.toFixed(1)} us, the bot's (bot/slack/signed-receiver.ts, timingSafeEqual) ${signature.botUs.toFixed(1)} us`,
  );
  say();
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "runner-config-profile-"));
  try {
    const only = process.argv[2];
    if (!only || only === "plan") await planMemory(dir);
    if (!only || only === "action") await actionStart(dir);
    if (!only || only === "bot") await botAck(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
