/**
 * Apply results and config issues as text (terminals, logs) and markdown (job summary). Pure. The
 * plan has its own report: plan-report.ts, with plan-text.ts and plan-markdown.ts.
 */

import { formatIssue } from "../config/load.js";
import type { ConfigIssue } from "../config/types.js";
import { kindLabel } from "../kinds/registry.js";
import { markdownText as cell, codeSpan } from "../markdown/escape.js";
import { plural } from "../text/plural.js";
import { oneLine } from "../text/untrusted.js";
import type { ApplyResult } from "./apply.js";
import { OUTCOME_SIGNS, summarizeApply } from "./apply-summary.js";
import type { Plan } from "./plan-types.js";

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

/** The apply as the job summary shows it; with the plan, each row names its runner (by name where it has one). */
export function formatApplyMarkdown(result: ApplyResult, plan?: Plan): string {
  const summary = summarizeApply(result);
  const head = `### Gitpod runner configuration apply\n\n${summary.headline}\n`;
  if (summary.total === 0) return head;
  const names = new Map(
    plan?.runners.map((runner) => [runner.runnerId, runner.runnerName ?? runner.runnerId]),
  );
  const rows = result.outcomes.map(
    (outcome) =>
      `| ${cell(names.get(outcome.operation.runnerId) ?? outcome.operation.runnerId)} | ${OUTCOME_SIGNS[outcome.status].emoji} ${outcome.status} | ${outcome.operation.action} | ${kindLabel(outcome.operation)} | ${cell(outcome.operation.key)} | ${cell(outcome.error ?? "")} |`,
  );
  return `${head}\n| runner | result | action | kind | item | error |\n| --- | --- | --- | --- | --- | --- |\n${rows.join("\n")}\n`;
}

export function formatIssuesText(issues: ConfigIssue[]): string {
  return [
    `${plural(issues.length, "error")}; nothing was changed:`,
    ...issues.map((issue) => `  ${oneLine(formatIssue(issue))}`),
  ].join("\n");
}

export function formatIssuesMarkdown(issues: ConfigIssue[]): string {
  const rows = issues.map(
    (issue) =>
      `| ${codeSpan(`${issue.file}:${issue.line}`)} | ${codeSpan(issue.path)} | ${cell(issue.message)} |`,
  );
  return `### Gitpod runner configuration: ${plural(issues.length, "error")}, nothing was changed\n\n| where | field | error |\n| --- | --- | --- |\n${rows.join("\n")}\n`;
}
