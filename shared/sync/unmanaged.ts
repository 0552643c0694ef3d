/**
 * Unmanaged objects: what a runner named in the file holds in Gitpod and the file does not (a class
 * or an integration added by hand). They are not operations (a plan without prune leaves them
 * alone) but drift a nightly check may count (`drift: all`). A kind's diff reports them from its
 * prune loop through `pruneOrList` into the diff context's `unmanaged` list (shared/sync/resource.ts),
 * so they are what the kind's own diff would remove with prune on and the two can never disagree
 * about what "not in the file" means (disabled classes and users' own tokens are never pruned, so
 * never drift). Pure.
 */
import type { OperationBase } from "./plan-base.js";

/** One object in Gitpod that no entry of the file manages. Plain data: a plan serialises it. */
export interface UnmanagedObject {
  /** The kind's name (`environmentClass`), as operations have it. */
  kind: string;
  runnerId: string;
  /** The object's key within its runner, as the file would write it (display name, `scmId@host`). */
  key: string;
  /** Its id in Gitpod. */
  id: string;
}

/**
 * What a kind's diff does with an object of the runner that no entry of the file matched: with
 * prune on, `removal()` is its operation (disable, delete); with prune off, the same operation's
 * object goes to `unmanaged` when the caller collects them (the plan's drift list). One call for
 * both, from the loop that prunes, so the list is exactly what prune would remove, and a plan
 * without prune does not run the diff a second time to find it. An object without an id (the API
 * left it out) is not listed: nothing could be done with it by id.
 */
export function pruneOrList<Op extends OperationBase & { kind: string }>(
  step: { prune: boolean; unmanaged?: UnmanagedObject[] | undefined },
  operations: Op[],
  removal: () => Op,
): void {
  if (step.prune) {
    operations.push(removal());
    return;
  }
  if (!step.unmanaged) return;
  const operation = removal();
  if ((operation.action === "disable" || operation.action === "delete") && operation.currentId)
    step.unmanaged.push({
      kind: operation.kind,
      runnerId: operation.runnerId,
      key: operation.key,
      id: operation.currentId,
    });
}

/** The `drift` input and flag: whether unmanaged objects count as drift, besides pending changes. */
export type DriftScope = "managed" | "all";

export const DRIFT_SCOPES: readonly DriftScope[] = ["managed", "all"];
