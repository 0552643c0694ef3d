/**
 * The whole benchmark as one function: the chosen scenarios in order (so they do not compete for
 * the CPU), the report, bench/results.json and the scale SVG written to `outDir`. `npm run bench`
 * runs it at the sizes of bench/lib/config.ts; the test suite runs it small.
 */
import { writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { join } from "node:path";
import { loadNow } from "./lib/measure.js";
import type { BenchReport, MachineInfo, ScenarioReport } from "./lib/report.js";
import { renderScaleChart } from "./lib/scale-chart.js";
import { renderReport } from "./lib/table.js";
import { type ActionStartFacts, type ActionStartOptions, runActionStart } from "./scenarios/action-start.js";
import { type BotAckOptions, type BotAckResult, runBotAck } from "./scenarios/bot-ack.js";
import {
  type BotFootprintOptions,
  type BotFootprintResult,
  runBotFootprint,
} from "./scenarios/bot-footprint.js";
import {
  type BotListLargeOptions,
  type BotListLargeResult,
  runBotListLarge,
} from "./scenarios/bot-list-large.js";
import { type LargeChangeOptions, runLargeChange } from "./scenarios/large-change.js";
import { type PoliciesOptions, runPolicies } from "./scenarios/policies.js";
import { runScale, type ScaleOptions, type ScaleResult } from "./scenarios/scale.js";
import { runSyncScenarios, type SyncBenchOptions, type SyncBenchResult } from "./scenarios/sync.js";

/** A scenario left undefined is skipped. */
export interface SuiteConfig {
  sync?: SyncBenchOptions;
  scale?: ScaleOptions;
  largeChange?: LargeChangeOptions;
  actionStart?: ActionStartOptions;
  botAck?: BotAckOptions & { sustainedRate?: number; runs?: number };
  botListLarge?: BotListLargeOptions;
  botFootprint?: BotFootprintOptions;
  policies?: PoliciesOptions;
}

export interface SuiteResult {
  report: BenchReport;
  text: string;
  sync?: SyncBenchResult;
  scale?: ScaleResult;
  largeChange?: Awaited<ReturnType<typeof runLargeChange>>;
  actionStart?: ActionStartFacts;
  botAck?: BotAckResult;
  botListLarge?: BotListLargeResult;
  botFootprint?: BotFootprintResult;
}

function machineInfo(): MachineInfo {
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
    config,
  };
  const result: SuiteResult = { report, text: "" };
  /** Runs one scenario and stamps its reports with the load average before and after. */
  const step = async <T>(
    message: string,
    options: unknown,
    run: () => Promise<T>,
    reports: (value: T) => ScenarioReport[],
  ): Promise<T | undefined> => {
    if (options === undefined) return undefined;
    progress(message);
    const start = loadNow();
    const value = await run();
    const load = { start, end: loadNow() };
    for (const scenario of reports(value)) {
      scenario.load = load;
      report.scenarios.push(scenario);
    }
    return value;
  };
  const { sync, scale, largeChange, actionStart, botAck, botListLarge, botFootprint, policies } = config;
  const syncResult = await step(
    "1-3 cold apply (engine, competent and naive SDK peers), no-op, drift",
    sync,
    () => runSyncScenarios(sync as SyncBenchOptions),
    (value) => value.reports,
  );
  if (syncResult) result.sync = syncResult;
  const scaleResult = await step(
    "4 scale curve (plan, a fresh process per run)",
    scale,
    () => runScale(scale as ScaleOptions),
    (value) => [value.report],
  );
  if (scaleResult) result.scale = scaleResult;
  const largeChangeResult = await step(
    "4b large change (10% changed apply, 100% invalid plan)",
    largeChange,
    () => runLargeChange(largeChange as LargeChangeOptions),
    (value) => [value.report],
  );
  if (largeChangeResult) result.largeChange = largeChangeResult;
  const start = await step(
    "5 action start (node dist/index.js)",
    actionStart,
    () => runActionStart(actionStart as ActionStartOptions),
    (value) => [value.report],
  );
  if (start) result.actionStart = start.facts;
  const botAckResult = await step(
    "6 bot acknowledgement (autocannon: bare Bolt peer, then the bot)",
    botAck,
    () => runBotAck(botAck as NonNullable<SuiteConfig["botAck"]>),
    (value) => [value.report],
  );
  if (botAckResult) result.botAck = botAckResult;
  const botListLargeResult = await step(
    "7 bot list in a large workspace",
    botListLarge,
    () => runBotListLarge(botListLarge as BotListLargeOptions),
    (value) => [value.report],
  );
  if (botListLargeResult) result.botListLarge = botListLargeResult;
  const botFootprintResult = await step(
    "8 bot footprint (peak RSS under a flood of commands: bare Bolt peer, then the bot)",
    botFootprint,
    () => runBotFootprint(botFootprint as BotFootprintOptions),
    (value) => [value.report],
  );
  if (botFootprintResult) result.botFootprint = botFootprintResult;
  await step(
    "9 policy rules (20 rules over a plan)",
    policies,
    () => runPolicies(policies as PoliciesOptions),
    (value) => [value.report],
  );

  report.machine.loadAverageAtEnd = loadavg();
  report.durationMs = performance.now() - started;
  writeFileSync(join(outDir, "results.json"), `${JSON.stringify(report, null, 2)}\n`);
  if (result.scale && result.scale.points.length >= 2)
    writeFileSync(join(outDir, "scale.svg"), renderScaleChart(result.scale.points));
  result.text = renderReport(report);
  return result;
}
