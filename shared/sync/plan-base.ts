/**
 * The parts of a plan that do not depend on the resource kinds: the actions, a field's change, what
 * every operation has and the plan's options. Kinds build their operations on these; plan-types.ts
 * assembles the plan from them and the registry's Operation union.
 */

/**
 * `replace` is create-then-disable (Terraform's CreateThenDelete): the API cannot change a class's
 * configuration and has no delete, so the new class is created first and the old one disabled
 * after, and a failure between the two leaves both enabled rather than neither (docs/adr/0003).
 */
export type Action = "create" | "update" | "replace" | "disable" | "delete" | "no-op";

/** Every action, for schemas (the compiler refuses a record that misses one). */
const EVERY_ACTION: Record<Action, true> = {
  create: true,
  update: true,
  replace: true,
  disable: true,
  delete: true,
  "no-op": true,
};
export const ACTIONS = Object.keys(EVERY_ACTION) as [Action, ...Action[]];

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

export interface PlanOptions {
  prune: boolean;
  allowDestructive: boolean;
  rotateSecrets: boolean;
}
