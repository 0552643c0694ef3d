/**
 * Scenario 6, bot acknowledgement: one signed slash command (`/gitpod-scm list`), fired by
 * autocannon at N concurrent connections against the real bot in HTTP mode and against a bare
 * Bolt app that only acks, each in its own process, with the Gitpod emulator and the Slack stub in
 * a third. The list command acks at once; its Gitpod calls and response_url post come after.
 */
import autocannon from "autocannon";
import { signedHeaders } from "../../test/support/slack-signing.js";
import { startChild } from "../lib/child.js";
import { loadNow, spread } from "../lib/measure.js";
import { ms, type Row, ratio, type ScenarioReport, spreadText, verdict } from "../lib/report.js";
import type { BackendInfo } from "../workers/backend.js";
import type { BotServerInfo } from "../workers/bot-server.js";
import type { ProcessStats } from "../workers/protocol.js";

export interface BotAckOptions {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** Latency of the emulated Gitpod API for the follow-up work. */
  gitpodLatencyMs: number;
  /** How long to wait for the follow-up work to finish after the load stops. */
  drainTimeoutMs: number;
  /** Command text; "list" acks and then reads Gitpod and posts to response_url. */
  text?: string;
  /** Fixed total request rate (autocannon overallRate); unset: as fast as the server answers. */
  overallRate?: number;
  /** Send exactly this many commands (then stop) instead of loading for durationSeconds. */
  amount?: number;
  /** Extra Node flags for the bot's process (e.g. --cpu-prof when looking for a reason). */
  botExecArgv?: string[];
}

export const FULL_BOT_ACK: BotAckOptions & { sustainedRate?: number; runs: number } = {
  connections: 100,
  durationSeconds: 5,
  warmupSeconds: 1,
  runs: 5,
  gitpodLatencyMs: 20,
  drainTimeoutMs: 5000,
  sustainedRate: 200,
};

export const SIGNING_SECRET = "bench-signing-secret-0123456789abcdef";

interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  serverCpuMs: number;
  serverPeakRssBytes: number;
  followUps?: { completed: number; drainMs: number; gitpodRequests: number; busy: number };
}

/** The environment of a bot-server worker (the bot or bare Bolt) in front of one backend. */
export function botServerEnv(mode: "bot" | "peer", backend: BackendInfo): Record<string, string> {
  return {
    BENCH_BOT_MODE: mode,
    BENCH_SIGNING_SECRET: SIGNING_SECRET,
    BENCH_GITPOD_URL: backend.gitpodUrl,
    BENCH_GITPOD_TOKEN: backend.gitpodToken,
    BENCH_SLACK_API_URL: backend.slackApiUrl,
    BENCH_RUNNER_IDS: backend.runnerIds.join(","),
  };
}

export function commandBody(responseUrl: string, text: string): string {
  return new URLSearchParams({
    token: "legacy-verification-token",
    team_id: "T0BENCH",
    team_domain: "bench",
    channel_id: "C0BENCH",
    channel_name: "ops",
    user_id: "U0BENCH",
    user_name: "bench",
    command: "/gitpod-scm",
    text,
    api_app_id: "A0BENCH",
    is_enterprise_install: "false",
    response_url: responseUrl,
    trigger_id: "trigger-bench",
  }).toString();
}

async function load(
  url: string,
  body: string,
  connections: number,
  durationSeconds: number,
  overallRate?: number,
  amount?: number,
): Promise<autocannon.Result> {
  const headers = signedHeaders(SIGNING_SECRET, body);
  if (!url.startsWith("http://127.0.0.1:"))
    throw new Error(`refusing to load anything but 127.0.0.1: ${url}`);
  return autocannon({
    url,
    method: "POST",
    headers,
    body,
    connections,
    ...(amount ? { amount } : { duration: durationSeconds }),
    ...(overallRate ? { overallRate } : {}),
  });
}

async function waitForFollowUps(
  backend: { stats<T extends ProcessStats>(): Promise<T> },
  expected: number,
  timeoutMs: number,
): Promise<{ completed: number; drainMs: number; gitpodRequests: number }> {
  const started = performance.now();
  type BackendStats = ProcessStats & { responses: number; gitpodRequests: number };
  let stats = await backend.stats<BackendStats>();
  while (stats.responses < expected && performance.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    stats = await backend.stats<BackendStats>();
  }
  return {
    completed: stats.responses,
    drainMs: performance.now() - started,
    gitpodRequests: stats.gitpodRequests,
  };
}

async function measureServer(
  mode: "bot" | "peer",
  backend: Awaited<ReturnType<typeof startChild<BackendInfo>>>,
  options: BotAckOptions,
): Promise<LoadResult> {
  const server = await startChild<BotServerInfo>(
    "bot-server",
    botServerEnv(mode, backend.info),
    mode === "bot" ? (options.botExecArgv ?? []) : [],
  );
  try {
    const body = commandBody(backend.info.responseUrl, options.text ?? "list");
    type BackendStats = ProcessStats & { responses: number };
    if (options.warmupSeconds > 0) {
      const before = (await backend.stats<BackendStats>()).responses;
      const warm = await load(
        server.info.url,
        body,
        Math.min(10, options.connections),
        options.warmupSeconds,
        200,
      );
      // Let the warm-up's follow-ups finish so they are not counted (or felt) in the measured run.
      if (mode === "bot")
        await waitForFollowUps(backend, before + warm.requests.total, options.drainTimeoutMs);
    }
    const responsesBefore = (await backend.stats<BackendStats>()).responses;
    const before = await server.stats<ProcessStats & { busy?: number }>();
    const result = await load(
      server.info.url,
      body,
      options.connections,
      options.durationSeconds,
      options.overallRate,
      options.amount,
    );
    const after = await server.stats<ProcessStats & { busy?: number }>();
    const measured: LoadResult = {
      requests: result.requests.total,
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      maxMs: result.latency.max,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      serverCpuMs: after.cpuMs - before.cpuMs,
      serverPeakRssBytes: after.peakRssBytes,
    };
    if (mode === "bot") {
      // Commands answered "busy" in the ack have no follow-up to wait for.
      const busy = (after.busy ?? 0) - (before.busy ?? 0);
      const acked = result.requests.total - result.non2xx - busy;
      const drained = await waitForFollowUps(backend, responsesBefore + acked, options.drainTimeoutMs);
      measured.followUps = { ...drained, completed: drained.completed - responsesBefore, busy };
    }
    return measured;
  } finally {
    await server.stop();
  }
}

export interface Comparison {
  peer: LoadResult;
  bot: LoadResult;
}

/** The peer, then the bot, each in a fresh process, against a fresh backend. */
export async function compare(options: BotAckOptions): Promise<Comparison> {
  const backend = await startChild<BackendInfo>("backend", {
    BENCH_LATENCY_MS: String(options.gitpodLatencyMs),
  });
  try {
    const peer = await measureServer("peer", backend, options);
    const bot = await measureServer("bot", backend, options);
    return { peer, bot };
  } finally {
    await backend.stop();
  }
}

function perCommandUs(result: LoadResult): string {
  return ((result.serverCpuMs / Math.max(1, result.requests)) * 1000).toFixed(0);
}

function comparisonRows(options: BotAckOptions, { peer, bot }: Comparison, judged: boolean): Row[] {
  const scenario = "6 bot ack";
  const c = `${options.connections} conn.${options.overallRate ? `, ${options.overallRate}/s` : ", max rate"}`;
  const rows: Row[] = [
    {
      scenario,
      measure: `ack p50 (${c})`,
      value: ms(bot.p50Ms),
      reference: `bare Bolt ${ms(peer.p50Ms)}`,
      ratio: ratio(bot.p50Ms, peer.p50Ms),
      verdict: "-",
    },
    {
      scenario,
      measure: `ack p99 (${c})`,
      value: ms(bot.p99Ms),
      reference: `bare Bolt ${ms(peer.p99Ms)}`,
      ratio: ratio(bot.p99Ms, peer.p99Ms),
      ...(judged ? { target: "< 50 ms, <= 1.2x peer" } : {}),
      verdict: judged ? verdict(bot.p99Ms < 50 && bot.p99Ms <= 1.2 * peer.p99Ms) : "-",
    },
    {
      scenario,
      measure: `requests/s (${c})`,
      value: bot.requestsPerSecond.toFixed(0),
      reference: `bare Bolt ${peer.requestsPerSecond.toFixed(0)}`,
      ratio: ratio(bot.requestsPerSecond, peer.requestsPerSecond),
      verdict: "-",
    },
    {
      scenario,
      measure: `failed acks (${c})`,
      value: `${bot.non2xx + bot.errors + bot.timeouts} of ${bot.requests}`,
      reference: `bare Bolt ${peer.non2xx + peer.errors + peer.timeouts} of ${peer.requests}`,
      target: "0",
      verdict: verdict(bot.non2xx + bot.errors + bot.timeouts === 0),
    },
  ];
  if (bot.followUps) {
    rows.push({
      scenario,
      measure: `follow-ups done (${c})`,
      value: `${bot.followUps.completed} of ${bot.requests - bot.non2xx - bot.followUps.busy} (${bot.followUps.busy} answered busy)`,
      reference: `${ms(bot.followUps.drainMs)} waited after the load`,
      verdict: "-",
    });
  }
  return rows;
}

function cpuNote(label: string, { peer, bot }: Comparison): string {
  return `${label}: bot process CPU ${ms(bot.serverCpuMs)} for ${bot.requests} commands (${perCommandUs(bot)} us each, ack and follow-up), peak RSS ${(bot.serverPeakRssBytes / 1048576).toFixed(0)} MB; bare Bolt ${ms(peer.serverCpuMs)} for ${peer.requests} (${perCommandUs(peer)} us each), peak RSS ${(peer.serverPeakRssBytes / 1048576).toFixed(0)} MB`;
}

export interface BotAckResult {
  report: ScenarioReport;
  /** The last closed-loop run (its invariants are checked by the small suite). */
  flood: Comparison;
  floodRuns: Comparison[];
  sustained?: Comparison;
}

function medianRows(options: BotAckOptions, runs: readonly Comparison[]): Row[] {
  const scenario = "6 bot ack";
  const c = `${options.connections} conn., max rate, ${runs.length} runs`;
  const p50 = { bot: spread(runs.map((r) => r.bot.p50Ms)), peer: spread(runs.map((r) => r.peer.p50Ms)) };
  const p99 = { bot: spread(runs.map((r) => r.bot.p99Ms)), peer: spread(runs.map((r) => r.peer.p99Ms)) };
  const perRun = spread(runs.map((r) => r.bot.p99Ms / Math.max(0.001, r.peer.p99Ms)));
  return [
    {
      scenario,
      measure: `ack p50 (${c})`,
      value: spreadText(p50.bot),
      reference: `bare Bolt ${spreadText(p50.peer)}`,
      ratio: ratio(p50.bot.median, p50.peer.median),
      verdict: "-",
    },
    {
      scenario,
      measure: `ack p99 (${c})`,
      value: spreadText(p99.bot),
      reference: `bare Bolt ${spreadText(p99.peer)}`,
      ratio: `${ratio(p99.bot.median, p99.peer.median)} (per run ${perRun.min.toFixed(2)}..${perRun.max.toFixed(2)})`,
      target: "< 50 ms, <= 1.2x peer",
      verdict: verdict(p99.bot.median < 50 && p99.bot.median <= 1.2 * p99.peer.median),
    },
  ];
}

/**
 * `runs` closed-loop runs at full speed (the target: medians of the runs), then, with
 * `sustainedRate`, one run at a fixed request rate the follow-up work can keep up with (context).
 */
export async function runBotAck(
  options: BotAckOptions & { sustainedRate?: number; runs?: number },
): Promise<BotAckResult> {
  const floodRuns: Comparison[] = [];
  const load: number[] = [];
  for (let run = 0; run < Math.max(1, options.runs ?? 1); run++) {
    load.push(loadNow());
    floodRuns.push(await compare(options));
  }
  const flood = floodRuns[floodRuns.length - 1] as Comparison;
  const sustainedOptions = options.sustainedRate
    ? { ...options, overallRate: options.sustainedRate }
    : undefined;
  const sustained = sustainedOptions ? await compare(sustainedOptions) : undefined;
  const rows = [
    ...medianRows(options, floodRuns),
    ...comparisonRows(options, flood, false).filter((row) => !/^ack p\d\d/.test(row.measure)),
  ];
  const notes = [
    `closed loop: ${floodRuns.length} runs, each a fresh backend, bare Bolt then the bot; load average before each: ${load.map((l) => l.toFixed(2)).join(", ")}; requests/s, failed acks and follow-ups are the last run's.`,
    cpuNote("max rate, last run", flood),
  ];
  if (sustainedOptions && sustained) {
    rows.push(...comparisonRows(sustainedOptions, sustained, false));
    notes.push(cpuNote(`${sustainedOptions.overallRate}/s`, sustained));
  }
  return {
    flood,
    floodRuns,
    ...(sustained ? { sustained } : {}),
    report: {
      id: "bot-ack",
      title: "Bot acknowledgement",
      rows,
      requests: [],
      data: { options, floodRuns, sustained, load },
      notes,
    },
  };
}
