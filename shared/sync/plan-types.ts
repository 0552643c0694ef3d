/**
 * A plan is plain data: it can be printed, serialised (JSON, `version: 1`) and applied later. It
 * names secrets only by their environment variable, never by value. Built from the registry's
 * Operation union and the kinds' runner fields; what does not depend on the kinds is in plan-base.ts.
 */
import type { Operation, RunnerPlanFields } from "../kinds/registry.js";
import type { Action, PlanOptions } from "./plan-base.js";
import type { DriftScope, UnmanagedObject } from "./unmanaged.js";

/** Every kind's operation: assembled in the registry (shared/kinds/registry.ts). */
export type { Operation };

/** A runner's part of the plan, with the facts the kinds add about the runner as a whole (runnerPlanFields). */
export type RunnerPlan = Partial<RunnerPlanFields> & {
  runnerId: string;
  runnerName?: string;
  operations: Operation[];
  /**
   * What the runner holds in Gitpod and the file does not manage (absent when none, and with
   * prune, where they are operations). Informational: never applied, not counted as changes.
   */
  unmanaged?: UnmanagedObject[];
  /** About the runner as a whole (no schema reported, offline), in words. */
  notes?: string[];
};

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

export function unmanagedObjects(plan: Plan): UnmanagedObject[] {
  return plan.runners.flatMap((runner) => runner.unmanaged ?? []);
}

/**
 * Whether the runners differ from the file as `drift` counts it: pending changes, and with
 * `all` also objects the file does not manage (fail-on-drift, --detailed-exitcode).
 */
export function hasDrift(plan: Plan, scope: DriftScope): boolean {
  return pendingOperations(plan).length > 0 || (scope === "all" && unmanagedObjects(plan).length > 0);
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
