/**
 * The shape of a benchmark run: one report per scenario, each a few table rows (a measure, its
 * reference, the ratio and the verdict against the target) plus the raw numbers for results.json.
 */
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

export interface RequestCountsRow {
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
