import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { RunnerState } from "../../shared/sync/current-state.js";
import { stateFingerprint } from "../../shared/sync/fingerprint.js";

/** The fingerprint as it was computed before it was streamed: a sorted deep copy, then one string. */
function canonicalCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalCopy);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonicalCopy(v)]),
    );
  }
  return value;
}

function referenceFingerprint(runners: Map<string, RunnerState>, runnerIds: string[]): string {
  const byId = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => (a.id < b.id ? -1 : 1));
  const parts = [...new Set(runnerIds)].sort().map((runnerId) => {
    const state = runners.get(runnerId);
    return {
      runnerId,
      schemaVersion: state?.schema?.version ?? "",
      environmentClasses: byId(state?.environmentClasses ?? []),
      scmIntegrations: byId(state?.scmIntegrations ?? []),
      ...(state?.hostAuthenticationTokens
        ? { hostAuthenticationTokens: byId(state.hostAuthenticationTokens) }
        : {}),
    };
  });
  return `sha256:${createHash("sha256")
    .update(JSON.stringify(canonicalCopy(parts)))
    .digest("hex")}`;
}

function stateWith(classes: number): RunnerState {
  const environmentClasses = Array.from({ length: classes }, (_, index) => ({
    id: `ec-${(index * 7919) % classes}`,
    runnerId: "r1",
    displayName: `class "${index}" \u2028 é \\ end`,
    description: index % 3 === 0 ? undefined : `d${index}`,
    configuration: [
      { key: "zeta", value: String(index) },
      { key: "10", value: "ten" },
    ],
    // Index-like keys and odd values: the copy enumerated these numerically first.
    labels: { "10": "a", "9": "b", b: null, a: [1, undefined, true, -0, 1.5e300], "": "empty" },
    enabled: index % 2 === 0,
  }));
  return {
    schema: { version: "v3" },
    environmentClasses,
    scmIntegrations: [{ id: "scm-1", host: "github.com", oauth: { clientId: "c", encryptedSecret: "x" } }],
  } as unknown as RunnerState;
}

describe("stateFingerprint, streamed", () => {
  it("is byte for byte the fingerprint of the sorted deep copy (saved plans stay valid)", () => {
    const runners = new Map<string, RunnerState>([
      ["r1", stateWith(500)],
      ["r0", { ...stateWith(3), hostAuthenticationTokens: [{ id: "t2" }, { id: "t1" }] } as RunnerState],
    ]);
    const ids = ["r1", "r0", "r1", "missing"];
    expect(stateFingerprint(runners, ids)).toBe(referenceFingerprint(runners, ids));
  });

  it("gives the same fingerprint for keys Object.prototype has and for non-plain values (general path)", () => {
    const odd = stateWith(20);
    const first = odd.environmentClasses[0] as unknown as Record<string, unknown>;
    Object.defineProperty(first, "__proto__", {
      value: "own",
      enumerable: true,
      writable: true,
      configurable: true,
    });
    Object.assign(first, { constructor: "own constructor", seenAt: new Date(0) });
    Object.assign(odd.environmentClasses[1] as object, { toString: "own toString" });
    const runners = new Map([["r1", odd]]);
    expect(stateFingerprint(runners, ["r1"])).toBe(referenceFingerprint(runners, ["r1"]));
  });

  it("sorts keys once per run, not once per object (10,000 objects)", () => {
    const runners = new Map([["r1", stateWith(10_000)]]);
    const sort = Array.prototype.sort;
    let sorts = 0;
    Array.prototype.sort = function counted(
      this: unknown[],
      ...args: [((a: unknown, b: unknown) => number)?]
    ) {
      sorts += 1;
      return sort.apply(this, args);
    };
    try {
      stateFingerprint(runners, ["r1"]);
    } finally {
      Array.prototype.sort = sort;
    }
    // The streamed writer sorted every object's keys (over 20,000 sorts here).
    expect(sorts).toBeLessThan(50);
  });

  it("changes when one field of one object changes", () => {
    const runners = new Map([["r1", stateWith(50)]]);
    const before = stateFingerprint(runners, ["r1"]);
    const changed = stateWith(50);
    (changed.environmentClasses[7] as { displayName: string }).displayName = "other";
    expect(stateFingerprint(new Map([["r1", changed]]), ["r1"])).not.toBe(before);
  });
});
