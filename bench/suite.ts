/**
 * The whole benchmark as one function: every scenario in order (so they do not compete for the
 * CPU), the report, bench/results.json and the scale SVG written to `outDir`. `npm run bench` runs
 * it at full size; the test suite runs it small.
 */
import { writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { join } from "node:path";
import type { BenchReport, MachineInfo } from "./lib/report.js";
import { renderScaleChart } from "./lib/scale-chart.js";
import { renderReport } from "./lib/table.js";
import { type ActionStartFacts, type ActionStartOptions, runActionStart } from "./scenarios/action-start.js";
import { type BotAckOptions, type BotAckResult, runBotAck } from "./scenarios/bot-ack.js";
import { runScale, type ScaleOptions, type ScaleResult } from "./scenarios/scale.js";
import { runSyncScenarios, type SyncBenchOptions, type SyncBenchResult } from "./scenarios/sync.js";

export interface SuiteConfig {
  sync: SyncBenchOptions;
  scale: ScaleOptions;
  actionStart: ActionStartOptions;
  botAck: BotAckOptions & { sustainedRate?: number };
}

export interface SuiteResult {
  report: BenchReport;
  text: string;
  sync: SyncBenchResult;
  scale: ScaleResult;
  actionStart: ActionStartFacts;
  botAck: BotAckResult;
}

export function machineInfo(): MachineInfo {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    cores: availableParallelism(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: loadavg(),
  };
}

export async function runSuite(
  config: SuiteConfig,
  outDir: string,
  progress: (message: string) => void = () => {},
): Promise<SuiteResult> {
  const started = performance.now();
  const report: BenchReport = {
    startedAt: new Date().toISOString(),
    durationMs: 0,
    command: "npm run bench",
    machine: machineInfo(),
    scenarios: [],
  };
  progress("1-3 cold apply, no-op, drift (engine and naive SDK peer)");
  const sync = await runSyncScenarios(config.sync);
  report.scenarios.push(...sync.reports);
  progress("4 scale curve (plan, a fresh process per point)");
  const scale = await runScale(config.scale);
  report.scenarios.push(scale.report);
  progress("5 action start (node dist/index.js)");
  const actionStart = await runActionStart(config.actionStart);
  report.scenarios.push(actionStart.report);
  progress("6 bot acknowledgement (autocannon: bare Bolt peer, then the bot)");
  const botAck = await runBotAck(config.botAck);
  report.scenarios.push(botAck.report);

  report.machine.loadAverageAtEnd = loadavg();
  report.durationMs = performance.now() - started;
  writeFileSync(join(outDir, "results.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, "scale.svg"), renderScaleChart(scale.points));
  return { report, text: renderReport(report), sync, scale, actionStart: actionStart.facts, botAck };
}
