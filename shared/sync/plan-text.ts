/** The plan as text, for terminals and the job log: a thin layout of the plan report. Pure. */
import { oneLine } from "../text/untrusted.js";
import type { Action } from "./plan-base.js";
import { describePlan, type PlanItem } from "./plan-report.js";
import type { Plan } from "./plan-types.js";

const SYMBOL: Record<Action, string> = {
  create: "+",
  update: "~",
  replace: "-/+",
  disable: "⊘",
  delete: "-",
  "no-op": " ",
};

const ASCII_SYMBOL: Record<Action, string> = { ...SYMBOL, disable: "x" };

/** A colour per action, as a terminal paints the item's line (Terraform's: add green, change yellow, remove red). */
export type PlanColour = "green" | "yellow" | "red";
const ACTION_COLOUR: Partial<Record<PlanItem["action"], PlanColour>> = {
  create: "green",
  update: "yellow",
  replace: "red",
  disable: "red",
  delete: "red",
};

export function formatPlanText(
  plan: Plan,
  options: {
    showUnchanged?: boolean;
    ascii?: boolean;
    /** Colours an item's line by its action (a terminal's paint); absent: plain text. */
    paint?: (colour: PlanColour, text: string) => string;
  } = {},
): string {
  const report = describePlan(plan);
  const symbols = options.ascii ? ASCII_SYMBOL : SYMBOL;
  const lines: string[] = [];
  const item = (entry: PlanItem) => {
    const flag = entry.destructive
      ? entry.destructive.refused
        ? "  [REFUSED: destructive]"
        : "  [destructive]"
      : "";
    const line = `${symbols[entry.action].padEnd(3)} ${entry.action} ${entry.kind} ${oneLine(entry.key)}${flag}`;
    const colour = ACTION_COLOUR[entry.action];
    lines.push(`  ${colour && options.paint ? options.paint(colour, line) : line}`);
    for (const change of entry.changes) lines.push(`        ${oneLine(change)}`);
    for (const note of entry.notes) lines.push(`        note: ${oneLine(note)}`);
    if (entry.destructive) lines.push(`        ${options.ascii ? "!" : "⚠"} ${entry.destructive.note}`);
  };
  for (const runner of report.runners) {
    lines.push(`Runner ${oneLine(runner.heading)}`);
    for (const note of runner.notes) lines.push(`  note: ${oneLine(note)}`);
    if (runner.changing.length === 0) lines.push("  no changes");
    for (const entry of runner.items) {
      if (entry.action !== "no-op" || options.showUnchanged) item(entry);
      else
        for (const note of entry.notes)
          lines.push(`  note: ${entry.kind} ${oneLine(entry.key)}: ${oneLine(note)}`);
    }
    for (const object of runner.unmanaged) lines.push(`  ?   not in the file: ${oneLine(object)}`);
  }
  lines.push(report.summary);
  if (report.unmanaged) lines.push(report.unmanaged);
  return lines.join("\n");
}
