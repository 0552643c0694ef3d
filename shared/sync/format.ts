/** Plan and apply results as text (terminals, logs) and markdown (job summary, PR comment). Pure. */

import { formatIssue } from "../config/load.js";
import type { ConfigIssue } from "../config/types.js";
import { markdownText as cell, codeSpan } from "../markdown/escape.js";
import { oneLine } from "../text/untrusted.js";
import type { ApplyResult } from "./apply.js";
import { OUTCOME_SIGNS, summarizeApply } from "./apply-summary.js";
import { ALL_KINDS, kindLabel } from "./kinds.js";
import {
  type Action,
  countByAction,
  destructiveNote,
  type FieldChange,
  type Plan,
  type RunnerPlan,
  refusedOperations,
} from "./plan-types.js";

const SYMBOL: Record<Action, string> = {
  create: "+",
  update: "~",
  replace: "-/+",
  disable: "⊘",
  delete: "-",
  "no-op": " ",
};

/** A value as the file writes it: booleans and numbers bare (`pat: true`), text quoted. */
export function showValue(value: string | undefined): string {
  if (value === undefined) return "(none)";
  if (value === "true" || value === "false") return value;
  if (/^-?(0|[1-9][0-9]{0,14})(\.[0-9]+)?$/.test(value)) return value;
  return JSON.stringify(value);
}

export function changeText(change: FieldChange): string {
  const show = showValue;
  if (change.to?.startsWith("(secret")) return `${change.field}: ${change.to}`;
  if (change.from === undefined) return `${change.field}: ${show(change.to)}`;
  return `${change.field}: ${show(change.from)} -> ${show(change.to)}`;
}

export function summaryLine(plan: Plan): string {
  const counts = countByAction(plan);
  const parts = (["create", "update", "replace", "disable", "delete"] as const)
    .filter((action) => counts[action] > 0)
    .map((action) => `${counts[action]} to ${action}`);
  const refused = refusedOperations(plan).length;
  if (parts.length === 0) return `No changes. ${counts["no-op"]} objects match the file.`;
  return `Plan: ${parts.join(", ")}; ${counts["no-op"]} unchanged.${refused > 0 ? ` ${refused} destructive operation(s) refused (allow-destructive is off).` : ""}`;
}

const ASCII_SYMBOL: Record<Action, string> = { ...SYMBOL, disable: "x" };

export function formatPlanText(
  plan: Plan,
  options: { showUnchanged?: boolean; ascii?: boolean } = {},
): string {
  const symbols = options.ascii ? ASCII_SYMBOL : SYMBOL;
  const lines: string[] = [];
  const refused = new Set(refusedOperations(plan));
  for (const runner of plan.runners) {
    lines.push(
      `Runner ${runner.runnerName ? `${oneLine(runner.runnerName)} (${oneLine(runner.runnerId)})` : oneLine(runner.runnerId)}`,
    );
    for (const note of runnerNotes(runner)) lines.push(`  note: ${oneLine(note)}`);
    if (!runner.operations.some((operation) => operation.action !== "no-op")) lines.push("  no changes");
    for (const operation of runner.operations) {
      if (operation.action === "no-op" && !options.showUnchanged) {
        for (const note of operation.notes ?? [])
          lines.push(`  note: ${kindLabel(operation)} ${oneLine(operation.key)}: ${oneLine(note)}`);
        continue;
      }
      const flag = refused.has(operation)
        ? "  [REFUSED: destructive]"
        : operation.destructive
          ? "  [destructive]"
          : "";
      lines.push(
        `  ${symbols[operation.action].padEnd(3)} ${operation.action} ${kindLabel(operation)} ${oneLine(operation.key)}${flag}`,
      );
      for (const change of operation.changes) lines.push(`        ${oneLine(changeText(change))}`);
      for (const note of operation.notes ?? []) lines.push(`        note: ${oneLine(note)}`);
      if (operation.destructive) {
        lines.push(`        ${options.ascii ? "!" : "⚠"} ${destructiveNote(operation.destructive)}`);
      }
    }
  }
  lines.push(summaryLine(plan));
  return lines.join("\n");
}

/** Runner-level notes: what could not be read, and what each kind says about the runner. */
export function runnerNotes(runner: RunnerPlan): string[] {
  return [...(runner.notes ?? []), ...ALL_KINDS.flatMap((kind) => kind.runnerNotes?.(runner) ?? [])];
}

export function formatPlanMarkdown(plan: Plan): string {
  const refused = new Set(refusedOperations(plan));
  const rows: string[] = [];
  const notes: string[] = [];
  for (const runner of plan.runners) {
    const name = runner.runnerName ?? runner.runnerId;
    for (const note of runnerNotes(runner)) notes.push(`- ${cell(name)}: ${cell(note)}`);
    for (const operation of runner.operations) {
      for (const note of operation.action === "no-op" ? (operation.notes ?? []) : []) {
        notes.push(`- ${cell(name)}: ${kindLabel(operation)} ${cell(operation.key)}: ${cell(note)}`);
      }
      if (operation.action === "no-op") continue;
      const changes = operation.changes.map((change) => codeSpan(changeText(change))).join("<br>");
      const note = [
        ...(operation.destructive
          ? [
              `${refused.has(operation) ? "**refused** " : ""}⚠️ ${cell(destructiveNote(operation.destructive))}`,
            ]
          : []),
        ...(operation.notes ?? []).map(cell),
      ].join("; ");
      rows.push(
        `| ${cell(runner.runnerName ?? runner.runnerId)} | ${operation.action} | ${kindLabel(operation)} | ${cell(operation.key)} | ${changes} | ${note} |`,
      );
    }
  }
  const head = `### Gitpod runner configuration plan\n\n${summaryLine(plan)}\n${notes.length > 0 ? `\n${notes.join("\n")}\n` : ""}`;
  if (rows.length === 0) return head;
  return `${head}\n| runner | action | kind | item | changes | notes |\n| --- | --- | --- | --- | --- | --- |\n${rows.join("\n")}\n`;
}

export function formatApplyText(result: ApplyResult): string {
  const summary = summarizeApply(result);
  if (summary.total === 0) return summary.headline;
  const lines = result.outcomes.map((outcome) => {
    const what = `${outcome.operation.action} ${kindLabel(outcome.operation)} ${oneLine(outcome.operation.key)}`;
    return outcome.status === "done"
      ? `  ✓ ${what}`
      : `  ✗ ${what}: ${outcome.status}: ${oneLine(outcome.error ?? "")}`;
  });
  lines.push(summary.headline);
  return lines.join("\n");
}

export function formatApplyMarkdown(result: ApplyResult): string {
  const summary = summarizeApply(result);
  const head = `### Gitpod runner configuration apply\n\n${summary.headline}\n`;
  if (summary.total === 0) return head;
  const rows = result.outcomes.map(
    (outcome) =>
      `| ${OUTCOME_SIGNS[outcome.status].emoji} ${outcome.status} | ${outcome.operation.action} | ${kindLabel(outcome.operation)} | ${cell(outcome.operation.key)} | ${cell(outcome.error ?? "")} |`,
  );
  return `${head}\n| result | action | kind | item | error |\n| --- | --- | --- | --- | --- |\n${rows.join("\n")}\n`;
}

export function formatIssuesText(issues: ConfigIssue[]): string {
  return [
    `${issues.length} error(s); nothing was changed:`,
    ...issues.map((issue) => `  ${oneLine(formatIssue(issue))}`),
  ].join("\n");
}

export function formatIssuesMarkdown(issues: ConfigIssue[]): string {
  const rows = issues.map(
    (issue) =>
      `| ${codeSpan(`${issue.file}:${issue.line}`)} | ${codeSpan(issue.path)} | ${cell(issue.message)} |`,
  );
  return `### Gitpod runner configuration: ${issues.length} error(s), nothing was changed\n\n| where | field | error |\n| --- | --- | --- |\n${rows.join("\n")}\n`;
}
