/**
 * Messages between the benchmark and its child processes (over the fork IPC channel). Children run
 * in their own process so their CPU and peak RSS are theirs alone.
 */
export interface ProcessStats {
  cpuMs: number;
  /** process.resourceUsage().maxRSS, converted to bytes. */
  peakRssBytes: number;
}

export type ParentMessage = { type: "stats" } | { type: "stop" };

export type ChildMessage<Ready> =
  | { type: "ready"; info: Ready }
  | { type: "stats"; stats: ProcessStats & Record<string, unknown> }
  | { type: "error"; message: string };

export function ownStats(): ProcessStats {
  const cpu = process.cpuUsage();
  return { cpuMs: (cpu.user + cpu.system) / 1000, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
}

export function send<Ready>(message: ChildMessage<Ready>): void {
  process.send?.(message);
}
