/** Pure summary of a V8 CPU profile (.cpuprofile), cut at a moment, attributed through a source map. */
import type { SourceMap } from "node:module";
import { sourceLabel } from "./allocations.js";

export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  }>;
  /** Microseconds, the same monotonic clock as process.hrtime. */
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface CpuSummary {
  /** Profiled milliseconds up to the cut. */
  totalMs: number;
  /** Self time per original source (package or repo file) up to the cut, largest first. */
  bySource: Array<{ source: string; ms: number }>;
}

function labelFor(
  frame: CpuProfile["nodes"][number]["callFrame"],
  maps: ReadonlyMap<string, SourceMap>,
): string {
  if (!frame.url) return frame.functionName.startsWith("(") ? frame.functionName : "(native)";
  const map = maps.get(frame.url);
  if (!map) return sourceLabel(frame.url);
  const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string };
  // No mapping: the bundle's own module body (top-level code that runs on import).
  if (!entry.originalSource)
    return `${sourceLabel(frame.url)} ${frame.functionName || "(top level)"} (unmapped line ${frame.lineNumber + 1})`;
  const label = sourceLabel(entry.originalSource);
  // One line per package; our own files stay by file.
  return label.includes(" (") ? label.slice(0, label.indexOf(" (")) : label;
}

/** Self time per source for the samples taken before `cutMicros` (all when undefined). */
export function cpuBySource(
  profile: CpuProfile,
  maps: ReadonlyMap<string, SourceMap>,
  cutMicros?: number,
  n = 12,
): CpuSummary {
  const labels = new Map<number, string>();
  for (const node of profile.nodes) labels.set(node.id, labelFor(node.callFrame, maps));
  const bySource = new Map<string, number>();
  let at = profile.startTime;
  let totalMs = 0;
  for (let index = 0; index < profile.samples.length; index++) {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (cutMicros !== undefined && at > cutMicros) break;
    // Each sample stands for the time since the previous one.
    const label = labels.get(profile.samples[index] ?? -1) ?? "(unknown)";
    bySource.set(label, (bySource.get(label) ?? 0) + delta / 1000);
    totalMs += delta / 1000;
  }
  return {
    totalMs,
    bySource: [...bySource.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([source, ms]) => ({ source, ms })),
  };
}
