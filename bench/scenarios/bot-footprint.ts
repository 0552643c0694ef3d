/**
 * Scenario 8, bot footprint under a flood: exactly `commands` signed `/gitpod-scm list` commands sent
 * by autocannon over `connections` connections, at full speed, to a fresh bot process and to a fresh
 * bare Bolt process (scenario 6's workers and backend). The figure is each process's peak RSS over
 * its life (start, flood and follow-ups): what an operator sizes the container's memory limit by.
 */
import { loadNow, type Spread, spread } from "../lib/measure.js";
import { megabytes, type Row, ratio, type ScenarioReport, spreadText, verdict } from "../lib/report.js";
import { type BotAckOptions, type Comparison, compare } from "./bot-ack.js";

export interface BotFootprintOptions {
  commands: number;
  connections: number;
  runs: number;
  gitpodLatencyMs: number;
  drainTimeoutMs: number;
  /** The bot's peak RSS may be at most this many times bare Bolt's. */
  maxRatio: number;
  botExecArgv?: string[];
}

export const FULL_BOT_FOOTPRINT: BotFootprintOptions = {
  commands: 1000,
  connections: 100,
  runs: 3,
  gitpodLatencyMs: 20,
  drainTimeoutMs: 10_000,
  maxRatio: 1.5,
};

export interface BotFootprintResult {
  report: ScenarioReport;
  runs: Comparison[];
}

export async function runBotFootprint(options: BotFootprintOptions): Promise<BotFootprintResult> {
  const ackOptions: BotAckOptions = {
    connections: options.connections,
    durationSeconds: 0,
    warmupSeconds: 0,
    amount: options.commands,
    gitpodLatencyMs: options.gitpodLatencyMs,
    drainTimeoutMs: options.drainTimeoutMs,
    ...(options.botExecArgv ? { botExecArgv: options.botExecArgv } : {}),
  };
  const runs: Comparison[] = [];
  const load: number[] = [];
  for (let run = 0; run < Math.max(1, options.runs); run++) {
    load.push(loadNow());
    runs.push(await compare(ackOptions));
  }
  const mb = (bytes: number) => bytes / 1048576;
  const bot = spread(runs.map((r) => mb(r.bot.serverPeakRssBytes)));
  const peer = spread(runs.map((r) => mb(r.peer.serverPeakRssBytes)));
  const perRun = spread(runs.map((r) => r.bot.serverPeakRssBytes / Math.max(1, r.peer.serverPeakRssBytes)));
  const mbText = (value: Spread) => spreadText(value, (v) => megabytes(v * 1048576));
  const scenario = "8 bot footprint";
  const last = runs[runs.length - 1] as Comparison;
  const rows: Row[] = [
    {
      scenario,
      measure: `peak RSS, ${options.commands} commands over ${options.connections} conn. (${runs.length} runs)`,
      value: mbText(bot),
      reference: `bare Bolt ${mbText(peer)}`,
      ratio: `${ratio(bot.median, peer.median)} (per run ${perRun.min.toFixed(2)}..${perRun.max.toFixed(2)})`,
      target: `<= ${options.maxRatio}x bare Bolt`,
      verdict: verdict(bot.median <= options.maxRatio * peer.median),
    },
    {
      scenario,
      measure: "commands acked, last run",
      value: `${last.bot.requests - last.bot.non2xx - last.bot.errors - last.bot.timeouts} of ${last.bot.requests}`,
      reference: `bare Bolt ${last.peer.requests - last.peer.non2xx - last.peer.errors - last.peer.timeouts} of ${last.peer.requests}`,
      verdict: "-",
    },
  ];
  if (last.bot.followUps) {
    rows.push({
      scenario,
      measure: "follow-ups done, last run",
      value: `${last.bot.followUps.completed} (${last.bot.followUps.busy} answered busy)`,
      verdict: "-",
    });
  }
  return {
    runs,
    report: {
      id: "bot-footprint",
      title: "Bot footprint under a flood",
      rows,
      requests: [],
      data: { options, runs, load },
      notes: [
        `each run: a fresh backend (Gitpod emulator at ${options.gitpodLatencyMs} ms, Slack stub), bare Bolt then the bot, each a fresh process; peak RSS is the process's maxRSS over its life; load average before each run: ${load.map((l) => l.toFixed(2)).join(", ")}`,
      ],
    },
  };
}
