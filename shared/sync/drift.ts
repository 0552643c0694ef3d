/**
 * Drift as a nightly run tracks it: what differs between the runners and the file (pending changes,
 * and with `drift: all` the objects the file does not manage), one line per difference, and a
 * fingerprint of those lines that the next run compares with to say whether the drift is new,
 * changed, the same as last time, or resolved. Pure.
 */
import { createHash } from "node:crypto";
import { operationLabel } from "../kinds/registry.js";
import { unmanagedText } from "./plan-report.js";
import { type Plan, pendingOperations, unmanagedObjects } from "./plan-types.js";
import type { DriftScope } from "./unmanaged.js";

/** How this run's drift compares with the last run's. */
export type DriftTransition = "none" | "new" | "changed" | "same" | "resolved";

export interface DriftState {
  /** One line per difference, sorted: `update environment class "Large" on runner r1`. */
  items: string[];
  /** "sha256:<hex>" of the items; undefined when there is no drift. */
  fingerprint: string | undefined;
}

export function driftState(plan: Plan, scope: DriftScope): DriftState {
  const changes = pendingOperations(plan).map(
    (operation) => `${operation.action} ${operationLabel(operation)} on runner ${operation.runnerId}`,
  );
  const unmanaged =
    scope === "all"
      ? unmanagedObjects(plan).map(
          (object) => `not in the file: ${unmanagedText(object)} on runner ${object.runnerId}`,
        )
      : [];
  const items = [...changes, ...unmanaged].sort();
  return {
    items,
    fingerprint:
      items.length === 0
        ? undefined
        : `sha256:${createHash("sha256").update(items.join("\n"), "utf8").digest("hex")}`,
  };
}

/** `previous`: the fingerprint the last run left (undefined: none, or no drift then). */
export function driftTransition(previous: string | undefined, current: string | undefined): DriftTransition {
  if (current === undefined) return previous === undefined ? "none" : "resolved";
  if (previous === undefined) return "new";
  return previous === current ? "same" : "changed";
}
