/**
 * Unmanaged objects: what a runner named in the file holds in Gitpod and the file does not (a class
 * or an integration added by hand). They are not operations (a plan without prune leaves them
 * alone) but drift a nightly check may count (`drift: all`). A kind opts in with one function,
 * `unmanaged` (shared/sync/resource.ts); for most kinds `prunedObjects` is that function: what the
 * kind's own diff would remove with prune on, so the two can never disagree about what "not in the
 * file" means (disabled classes and users' own tokens are never pruned, so never drift). Pure.
 */
import type { OperationBase, PlanOptions } from "./plan-base.js";

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

interface DiffContext {
  runnerId: string;
  options: PlanOptions;
}

/** The objects the kind's diff would disable or delete with prune on: its unmanaged objects. */
export function prunedObjects<Runner, State>(
  diff: (
    runner: Runner,
    state: State,
    context: DiffContext,
  ) => ReadonlyArray<OperationBase & { kind: string }>,
): (runner: Runner, state: State, context: DiffContext) => UnmanagedObject[] {
  return (runner, state, context) =>
    diff(runner, state, { ...context, options: { ...context.options, prune: true } }).flatMap((operation) =>
      (operation.action === "disable" || operation.action === "delete") && operation.currentId
        ? [
            {
              kind: operation.kind,
              runnerId: operation.runnerId,
              key: operation.key,
              id: operation.currentId,
            },
          ]
        : [],
    );
}

/** The `drift` input and flag: whether unmanaged objects count as drift, besides pending changes. */
export type DriftScope = "managed" | "all";

export const DRIFT_SCOPES: readonly DriftScope[] = ["managed", "all"];
