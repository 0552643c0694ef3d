/**
 * The plan as markdown: the job summary's table, and the cells the pull-request comment lays out
 * per runner. A thin layout of the plan report, escaped with the one markdown escaper. Pure.
 */
import { markdownText as cell, codeSpan } from "../markdown/escape.js";
import { describePlan, type PlanItem, type PlanRunnerReport } from "./plan-report.js";
import type { Plan } from "./plan-types.js";

/** The header of a table of plan items; with `runner`, a first column names each item's runner. */
export function planTableHead(options: { runner?: boolean } = {}): string {
  const columns = [...(options.runner ? ["runner"] : []), "action", "kind", "item", "changes", "notes"];
  return `| ${columns.join(" | ")} |\n|${" --- |".repeat(columns.length)}\n`;
}

/** One row of a plan table (see planTableHead). */
export function planTableRow(item: PlanItem, runner?: PlanRunnerReport): string {
  const changes = item.changes.map(codeSpan).join("<br>");
  const notes = [
    ...(item.destructive
      ? [`${item.destructive.refused ? "**refused** " : ""}⚠️ ${cell(item.destructive.note)}`]
      : []),
    ...item.notes.map(cell),
  ].join("; ");
  const cells = [
    ...(runner ? [cell(runner.name)] : []),
    item.action,
    item.kind,
    cell(item.key),
    changes,
    notes,
  ];
  return `| ${cells.join(" | ")} |`;
}

/** A runner's notes, then what it holds outside the file, as list items: "- aws-eu: …". */
export function planNoteLines(runner: PlanRunnerReport): string[] {
  return [
    ...[...runner.notes, ...runner.unchangedNotes].map((note) => `- ${cell(runner.name)}: ${cell(note)}`),
    ...runner.unmanaged.map((object) => `- ${cell(runner.name)}: not in the file: ${cell(object)}`),
  ];
}

export function formatPlanMarkdown(plan: Plan): string {
  const report = describePlan(plan);
  const notes = report.runners.flatMap(planNoteLines);
  const rows = report.runners.flatMap((runner) => runner.changing.map((item) => planTableRow(item, runner)));
  const summary = report.unmanaged ? `${report.summary} ${report.unmanaged}` : report.summary;
  const head = `### ${report.title}\n\n${cell(summary)}\n${notes.length > 0 ? `\n${notes.join("\n")}\n` : ""}`;
  if (rows.length === 0) return head;
  return `${head}\n${planTableHead({ runner: true })}${rows.join("\n")}\n`;
}
