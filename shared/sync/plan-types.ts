/**
 * A plan is plain data: it can be printed, serialised (JSON, `version: 1`) and applied later. It
 * names secrets only by their environment variable, never by value.
 */
import type { Operation } from "../kinds/registry.js";

/** Every kind's operation: assembled in the registry (shared/kinds/registry.ts). */
export type { Operation };

/**
 * `replace` is create-then-disable (Terraform's CreateThenDelete): the API cannot change a class's
 * configuration and has no delete, so the new class is created first and the old one disabled
 * after, and a failure between the two leaves both enabled rather than neither (docs/adr/0003).
 */
export type Action = "create" | "update" | "replace" | "disable" | "delete" | "no-op";

export interface FieldChange {
  field: string;
  from?: string;
  to?: string;
}

/** A change with `from` / `to` left out where there is no value (nothing before, or nothing after). */
export function fieldChange(field: string, from: string | undefined, to: string | undefined): FieldChange {
  return { field, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

/** What every kind's operation has; a kind's own fields are in shared/kinds/<kind>/operation.ts. */
export interface OperationBase {
  action: Action;
  runnerId: string;
  /** The item's key within its runner: display name, or `scmId@host`. */
  key: string;
  /** Id of the existing object the operation changes (update, replace, disable, delete). */
  currentId?: string;
  changes: FieldChange[];
  /**
   * Set when the operation deletes something users depend on: `reason` what it does, `deletes` the
   * consequence; `destructiveNote` joins them into one sentence.
   */
  destructive?: { reason: string; deletes: string };
  /** Where the item is in the file (absent for items only in the API). */
  path?: string;
  line?: number;
  /** What the plan keeps as is on purpose, in words (shown even when the action is no-op). */
  notes?: string[];
}

export interface RunnerPlan {
  runnerId: string;
  runnerName?: string;
  operations: Operation[];
  /**
   * Disabled environment classes the runner already carries: they cannot be deleted, and every
   * configuration change adds one.
   */
  disabledEnvironmentClasses?: number;
  /** About the runner as a whole (no schema reported, offline), in words. */
  notes?: string[];
}

export interface PlanOptions {
  prune: boolean;
  allowDestructive: boolean;
  rotateSecrets: boolean;
}

export interface Plan {
  version: 1;
  file: string;
  options: PlanOptions;
  runners: RunnerPlan[];
}

const CHANGING_ACTIONS: ReadonlySet<Action> = new Set(["create", "update", "replace", "disable", "delete"]);

export function allOperations(plan: Plan): Operation[] {
  return plan.runners.flatMap((runner) => runner.operations);
}

export function pendingOperations(plan: Plan): Operation[] {
  return allOperations(plan).filter((operation) => CHANGING_ACTIONS.has(operation.action));
}

export function countByAction(plan: Plan): Record<Action, number> {
  const counts: Record<Action, number> = {
    create: 0,
    update: 0,
    replace: 0,
    disable: 0,
    delete: 0,
    "no-op": 0,
  };
  for (const operation of allOperations(plan)) counts[operation.action]++;
  return counts;
}

/** Destructive operations that the plan's options do not allow. */
export function refusedOperations(plan: Plan): Operation[] {
  if (plan.options.allowDestructive) return [];
  return pendingOperations(plan).filter((operation) => operation.destructive);
}

/** "deletes the integration; 3 users' tokens for gitlab.com stop working and those users must sign in again" */
export function destructiveNote(destructive: { reason: string; deletes: string }): string {
  return `${destructive.reason}; ${destructive.deletes}`;
}
