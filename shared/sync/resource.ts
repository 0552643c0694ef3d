/**
 * One module per resource kind behind one interface (the github/safe-settings shape): list what a
 * runner has, diff it against the file (pure), and apply one operation. plan.ts, apply.ts and
 * current-state.ts only talk to resource kinds through this interface, so a new kind is one module.
 */
import type { GitpodClient } from "../api/client.js";
import type { HostAuthenticationToken } from "../api/schemas.js";
import type { Operation, PlanOptions } from "./plan-types.js";

export interface DiffContext {
  runnerId: string;
  options: PlanOptions;
  /** The runner's host tokens, when read: destructive operations then say how many they delete. */
  tokens?: HostAuthenticationToken[] | undefined;
}

export interface ApplyContext {
  client: GitpodClient;
  /** Secret values by environment variable name. */
  secrets: ReadonlyMap<string, string>;
  /** Ids of environment classes that existed when the plan was made (to recognise a new one). */
  knownEnvironmentClassIds: ReadonlySet<string>;
}

export interface ResourceSync<Desired, Current, Op extends Operation> {
  readonly kind: Op["kind"];
  /** Every current object of this kind on these runners: all pages, one walk per runner, walks in parallel. */
  list(client: GitpodClient, runnerIds: string[]): Promise<Current[]>;
  /** Pure and linear in the number of objects: the operations that take current to desired. */
  diff(desired: Desired[], current: Current[], context: DiffContext): Op[];
  /** Executes one operation; after an ambiguous create it re-reads before creating again. */
  apply(operation: Op, context: ApplyContext): Promise<void>;
}
