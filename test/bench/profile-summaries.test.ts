import { describe, expect, it } from "vitest";
import { sourceLabel, topAllocations } from "../../bench/profile/allocations.js";
import { type CpuProfile, cpuBySource } from "../../bench/profile/cpu-profile.js";

const frame = (functionName: string, url: string, lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
  columnNumber: 0,
});

describe("bench:profile summaries", () => {
  it("names packages and repo files", () => {
    expect(sourceLabel("file:///w/node_modules/zod/v4/core/schemas.js")).toBe("zod (v4/core/schemas.js)");
    expect(sourceLabel("file:///w/node_modules/@actions/core/lib/core.js")).toBe(
      "@actions/core (lib/core.js)",
    );
    expect(sourceLabel("file:///w/repo/shared/sync/fingerprint.ts")).toBe("shared/sync/fingerprint.ts");
    expect(sourceLabel("")).toBe("(native / V8)");
  });

  it("sums sampled self sizes per function and per file, largest first", () => {
    const summary = topAllocations({
      callFrame: frame("(root)", ""),
      selfSize: 0,
      children: [
        { callFrame: frame("a", "file:///r/shared/x.ts", 4), selfSize: 100, children: [] },
        {
          callFrame: frame("b", "file:///r/shared/y.ts"),
          selfSize: 30,
          children: [{ callFrame: frame("a", "file:///r/shared/x.ts", 4), selfSize: 50, children: [] }],
        },
      ],
    });
    expect(summary.totalBytes).toBe(180);
    expect(summary.byFunction[0]).toEqual({ frame: "a shared/x.ts:5", bytes: 150 });
    expect(summary.byFile).toEqual([
      { file: "shared/x.ts", bytes: 150 },
      { file: "shared/y.ts", bytes: 30 },
    ]);
  });

  it("counts CPU samples only up to the cut", () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame("f", "file:///r/shared/x.ts") },
        { id: 2, callFrame: frame("(garbage collector)", "") },
      ],
      startTime: 1000,
      endTime: 5000,
      samples: [1, 1, 2, 1],
      timeDeltas: [1000, 1000, 1000, 1000],
    };
    const cut = cpuBySource(profile, new Map(), 4000);
    expect(cut.totalMs).toBe(3);
    expect(cut.bySource).toEqual([
      { source: "shared/x.ts", ms: 2 },
      { source: "(garbage collector)", ms: 1 },
    ]);
  });
});
