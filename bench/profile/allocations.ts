/** Pure summaries of V8's sampling heap profile (HeapProfiler.getSamplingProfile). */
import type { SourceMap } from "node:module";

export interface AllocationNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: AllocationNode[];
}

export interface AllocationSummary {
  totalBytes: number;
  /** Bytes allocated by each function itself (sampled), largest first. */
  byFunction: Array<{ frame: string; bytes: number }>;
  /** Bytes allocated under each source file (self sizes summed by the frame's file), largest first. */
  byFile: Array<{ file: string; bytes: number }>;
}

/** The part of a URL that names the code: the package inside node_modules, else the repo path. */
export function sourceLabel(url: string): string {
  if (!url) return "(native / V8)";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "node_modules/".length).split("/");
    const name = rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
    return `${name} (${rest.slice(name?.startsWith("@") ? 2 : 1).join("/")})`;
  }
  const inRepo = url.match(/\/(shared|action|bot|bench|test)\/.*$/);
  if (inRepo) return inRepo[0].slice(1);
  if (url.startsWith("node:")) return url;
  return url.slice(url.lastIndexOf("/") + 1);
}

/** A frame's function and original file:line, through the bundle's source map when there is one. */
function mapped(frame: AllocationNode["callFrame"], map?: SourceMap): { file: string; line: number } {
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as
    | { originalSource?: string; originalLine?: number }
    | undefined;
  if (entry?.originalSource)
    return { file: sourceLabel(entry.originalSource), line: (entry.originalLine ?? 0) + 1 };
  return { file: sourceLabel(frame.url), line: frame.lineNumber + 1 };
}

function top<T extends string>(map: Map<T, number>, n: number): Array<[T, number]> {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
}

export function topAllocations(
  head: AllocationNode,
  maps: ReadonlyMap<string, SourceMap> = new Map(),
  n = 12,
): AllocationSummary {
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let totalBytes = 0;
  const stack = [head];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.selfSize > 0) {
      totalBytes += node.selfSize;
      const where = mapped(node.callFrame, maps.get(node.callFrame.url));
      const frame = `${node.callFrame.functionName || "(anonymous)"} ${where.file}:${where.line}`;
      byFunction.set(frame, (byFunction.get(frame) ?? 0) + node.selfSize);
      const file = where.file;
      byFile.set(file, (byFile.get(file) ?? 0) + node.selfSize);
    }
    stack.push(...node.children);
  }
  return {
    totalBytes,
    byFunction: top(byFunction, n).map(([frame, bytes]) => ({ frame, bytes })),
    byFile: top(byFile, n).map(([file, bytes]) => ({ file, bytes })),
  };
}
