/**
 * A fingerprint of the objects a plan was made against: each kind's objects of the plan's runners
 * (ids and all fields, encrypted secrets included; see ResourceKind.fingerprint) and each runner's
 * schema version. A saved plan is applied only while the fingerprint still matches.
 */
import { createHash } from "node:crypto";
import type { RunnerState } from "./current-state.js";
import { ALL_KINDS } from "./kinds.js";

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Array-index keys ("0", "12") are enumerated first, in numeric order, by every JS object. */
function isIndexKey(key: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/**
 * Writes the canonical JSON of `value` (object keys sorted, undefined fields left out) piece by piece,
 * so fingerprinting 10,000 objects builds neither a sorted deep copy nor one large string (the
 * profile in bench/README.md). The text is the same as JSON.stringify of a copy with sorted keys.
 */
function writeCanonical(value: unknown, write: (text: string) => void): void {
  if (Array.isArray(value)) {
    write("[");
    value.forEach((item, index) => {
      if (index > 0) write(",");
      if (item === undefined || typeof item === "function" || typeof item === "symbol") write("null");
      else writeCanonical(item, write);
    });
    write("]");
    return;
  }
  if (value && typeof value === "object") {
    const keys = Object.keys(value)
      .filter((key) => {
        const field = (value as Record<string, unknown>)[key];
        return field !== undefined && typeof field !== "function" && typeof field !== "symbol";
      })
      .sort(byKey);
    // A copy built from sorted entries would still list index keys first, numerically.
    const ordered = [
      ...keys.filter(isIndexKey).sort((a, b) => Number(a) - Number(b)),
      ...keys.filter((key) => !isIndexKey(key)),
    ];
    write("{");
    ordered.forEach((key, index) => {
      write(`${index > 0 ? "," : ""}${JSON.stringify(key)}:`);
      writeCanonical((value as Record<string, unknown>)[key], write);
    });
    write("}");
    return;
  }
  write(JSON.stringify(value) ?? "null");
}

export function stateFingerprint(runners: ReadonlyMap<string, RunnerState>, runnerIds: string[]): string {
  const parts = [...new Set(runnerIds)].sort().map((runnerId) => {
    const state = runners.get(runnerId);
    return Object.assign(
      { runnerId, schemaVersion: state?.schema?.version ?? "" },
      ...ALL_KINDS.map((kind) => kind.fingerprint(state)),
    );
  });
  const hash = createHash("sha256");
  // Small pieces are joined before hashing: one update call per token would cost more than it saves.
  let pending = "";
  writeCanonical(parts, (text) => {
    pending += text;
    if (pending.length > 64 * 1024) {
      hash.update(pending);
      pending = "";
    }
  });
  return `sha256:${hash.update(pending).digest("hex")}`;
}
