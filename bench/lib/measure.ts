import { loadavg } from "node:os";

/**
 * Wall-clock and CPU time of one async piece of work in this process. CPU time is user + system
 * time of the whole process (process.cpuUsage), so it includes anything else running in it.
 */
export interface Measured<T> {
  value: T;
  wallMs: number;
  cpuMs: number;
}

export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export async function measure<T>(work: () => Promise<T>): Promise<Measured<T>> {
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const value = await work();
  return { value, wallMs: performance.now() - wallStart, cpuMs: cpuMsSince(cpuStart) };
}

/** Median of a non-empty list (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Median, min and max of repeated runs, with every run kept for results.json. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: [...values] };
}

/** The 1-minute load average now (the machine is shared: every figure is recorded with it). */
export function loadNow(): number {
  return loadavg()[0] ?? 0;
}
