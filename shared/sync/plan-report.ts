/**
 * The plan as one report: every word that the plan's renderers print (the text for logs and
 * terminals, the job summary, the pull-request comment), worked out once. The renderers only lay it
 * out and escape it. Pure.
 */

import { ALL_KINDS, kindLabel, operationLabel } from "../kinds/registry.js";
import { runnerLabel } from "../text/runner-label.js";
import type { Action, FieldChange } from "./plan-base.js";
import {
  countByAction,
  destructiveNote,
  type Operation,
  type Plan,
  type RunnerPlan,
  refusedOperations,
  unmanagedObjects,
} from "./plan-types.js";
import type { UnmanagedObject } from "./unmanaged.js";

const PLAN_TITLE = "Gitpod runner configuration plan";

/** The actions that change something, in the order counts name them. */
const CHANGE_ACTIONS = ["create", "update", "replace", "disable", "delete"] as const;

export interface PlanItem {
  action: Action;
  /** "environment class", "SCM integration". */
  kind: string;
  key: string;
  /** One line per field, e.g. `configuration.cpu: "4" -> "8"`. */
  changes: string[];
  /** Set when the operation deletes what users depend on. */
  destructive?: {
    /** What it does and what stops working, in one sentence. */
    note: string;
    /** The plan's options do not allow it, so an apply refuses it. */
    refused: boolean;
  };
  /** What the plan keeps as is on purpose, in words. */
  notes: string[];
}

export interface PlanRunnerReport {
  runnerId: string;
  /** "aws-eu (d2c9…)", or the id alone. */
  heading: string;
  /** The runner's name where space is short (tables): its name, else its id. */
  name: string;
  /** About the runner as a whole: what could not be read, what each kind says. */
  notes: string[];
  /** What the unchanged items say, as "environment class Large: …". */
  unchangedNotes: string[];
  /** Every item in plan order, unchanged ones (action no-op) included. */
  items: PlanItem[];
  /** The items that change something. */
  changing: PlanItem[];
  /** "1 to create, 2 to delete": the runner's changes counted by action. */
  counts: string;
  /** What the runner holds and the file does not manage: `environment class "Hand" (id 0c4…)`. */
  unmanaged: string[];
}

export interface PlanReport {
  title: string;
  /** "Plan: 1 to create, …; 3 unchanged." or "No changes. 3 objects match the file." */
  summary: string;
  /** How many operations change something. */
  pending: number;
  /** "2 objects in Gitpod are not in the file: …", or empty when every object is managed. */
  unmanaged: string;
  runners: PlanRunnerReport[];
  /** The destructive operations, named, and what an apply does with them. */
  destructive: {
    /** "SCM integration github@github.com on aws-eu: deletes …; 3 users' tokens …", in plan order. */
    items: string[];
    /** "2 operation(s) delete what users depend on." (empty when there are none). */
    warning: string;
    /** Whether an apply refuses them, in words. */
    gate: string;
  };
}

/** A value as the file writes it: booleans and numbers bare (`pat: true`), text quoted. */
function showValue(value: string | undefined): string {
  if (value === undefined) return "(none)";
  if (value === "true" || value === "false") return value;
  if (/^-?(0|[1-9][0-9]{0,14})(\.[0-9]+)?$/.test(value)) return value;
  return JSON.stringify(value);
}

function changeText(change: FieldChange): string {
  if (change.to?.startsWith("(secret")) return `${change.field}: ${change.to}`;
  if (change.from === undefined) return `${change.field}: ${showValue(change.to)}`;
  return `${change.field}: ${showValue(change.from)} -> ${showValue(change.to)}`;
}

export function summaryLine(plan: Plan): string {
  const counts = countByAction(plan);
  const parts = CHANGE_ACTIONS.filter((action) => counts[action] > 0).map(
    (action) => `${counts[action]} to ${action}`,
  );
  const refused = refusedOperations(plan).length;
  if (parts.length === 0) return `No changes. ${counts["no-op"]} objects match the file.`;
  return `Plan: ${parts.join(", ")}; ${counts["no-op"]} unchanged.${refused > 0 ? ` ${refused} destructive operation(s) refused (allow-destructive is off).` : ""}`;
}

/** How many objects the runners hold outside the file, in one sentence (empty when none). */
export function unmanagedLine(plan: Plan): string {
  const count = unmanagedObjects(plan).length;
  if (count === 0) return "";
  return `${count} object${count === 1 ? "" : "s"} in Gitpod ${count === 1 ? "is" : "are"} not in the file (unmanaged: left alone, drift when drift is "all").`;
}

/** `environment class "Hand" (id 0c4…)`, by the kind's own label. */
export function unmanagedText(object: UnmanagedObject): string {
  const kind = ALL_KINDS.find((candidate) => candidate.kind === object.kind);
  return `${kind ? kind.itemLabel(object.key) : `${object.kind} ${object.key}`} (id ${object.id})`;
}

/** Runner-level notes: what could not be read, and what each kind says about the runner. */
function runnerNotes(runner: RunnerPlan): string[] {
  return [...(runner.notes ?? []), ...ALL_KINDS.flatMap((kind) => kind.runnerNotes?.(runner) ?? [])];
}

function countActions(items: readonly PlanItem[]): string {
  return CHANGE_ACTIONS.map(
    (action) => [action, items.filter((item) => item.action === action).length] as const,
  )
    .filter(([, count]) => count > 0)
    .map(([action, count]) => `${count} to ${action}`)
    .join(", ");
}

export function describePlan(plan: Plan): PlanReport {
  const refused = new Set(refusedOperations(plan));
  const destructiveItems: string[] = [];
  const runners = plan.runners.map((runner): PlanRunnerReport => {
    const name = runner.runnerName ?? runner.runnerId;
    const items = runner.operations.map((operation: Operation): PlanItem => {
      const item: PlanItem = {
        action: operation.action,
        kind: kindLabel(operation),
        key: operation.key,
        changes: operation.changes.map(changeText),
        notes: [...(operation.notes ?? [])],
      };
      if (operation.destructive) {
        const note = destructiveNote(operation.destructive);
        item.destructive = { note, refused: refused.has(operation) };
        if (operation.action !== "no-op")
          destructiveItems.push(`${operationLabel(operation)} on ${name}: ${note}`);
      }
      return item;
    });
    const changing = items.filter((item) => item.action !== "no-op");
    return {
      runnerId: runner.runnerId,
      heading: runnerLabel(runner.runnerId, runner.runnerName),
      name,
      notes: runnerNotes(runner),
      unchangedNotes: items
        .filter((item) => item.action === "no-op")
        .flatMap((item) => item.notes.map((note) => `${item.kind} ${item.key}: ${note}`)),
      items,
      changing,
      counts: countActions(changing),
      unmanaged: (runner.unmanaged ?? []).map(unmanagedText),
    };
  });
  const count = destructiveItems.length;
  return {
    title: PLAN_TITLE,
    summary: summaryLine(plan),
    pending: runners.reduce((sum, runner) => sum + runner.changing.length, 0),
    unmanaged: unmanagedLine(plan),
    runners,
    destructive: {
      items: destructiveItems,
      warning: count > 0 ? `${count} operation(s) delete what users depend on.` : "",
      gate:
        refused.size > 0
          ? "An apply refuses them, and writes nothing, unless allow-destructive is set."
          : "allow-destructive is set: an apply will do this.",
    },
  };
}
