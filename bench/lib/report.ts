/**
 * The shape of a benchmark run: one report per scenario, each a few table rows (a measure, its
 * reference, the ratio and the verdict against the target) plus the raw numbers for results.json.
 */
import type { Spread } from "./measure.js";
import type { RpcCounts } from "./rpc-counts.js";

export type Verdict = "PASS" | "MISS" | "-";

export interface Row {
  scenario: string;
  measure: string;
  value: string;
  reference?: string;
  ratio?: string;
  target?: string;
  verdict: Verdict;
}

interface RequestCountsRow {
  /** Which run made them, e.g. "1 cold apply: engine". */
  run: string;
  counts: RpcCounts;
}

export interface ScenarioReport {
  id: string;
  title: string;
  rows: Row[];
  requests: RequestCountsRow[];
  /** Raw numbers, for results.json. */
  data: Record<string, unknown>;
  /** Why a target was missed, caveats; printed under the table. */
  notes: string[];
  /** 1-minute load average when the scenario started and ended (set by the suite). */
  load?: { start: number; end: number };
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  node: string;
  platform: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

export interface BenchReport {
  startedAt: string;
  durationMs: number;
  command: string;
  machine: MachineInfo;
  scenarios: ScenarioReport[];
  /** The sizes this run used (bench/lib/config.ts). */
  config?: unknown;
}

export function verdict(pass: boolean): Verdict {
  return pass ? "PASS" : "MISS";
}

export function ms(value: number): string {
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 10) return `${Math.round(value)} ms`;
  return `${value.toFixed(1)} ms`;
}

export function ratio(value: number, reference: number): string {
  if (reference === 0) return "-";
  return `${(value / reference).toFixed(2)}x`;
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** "2.10 s (1.95-2.40 s, n=5)": the median with the range of the runs. */
export function spreadText(value: Spread, format: (value: number) => string = ms): string {
  if (value.runs.length === 1) return `${format(value.median)} (n=1)`;
  return `${format(value.median)} (${format(value.min)}..${format(value.max)}, n=${value.runs.length})`;
}

export function loadText(load: { start: number; end: number } | undefined): string {
  return load ? `${load.start.toFixed(2)}->${load.end.toFixed(2)}` : "";
}
