/**
 * The plan as a pull-request comment that fits GitHub's 65,536 characters: a short header (counts,
 * a destructive banner, the commit it was planned at, the run), then one collapsible block per
 * runner, trimmed with a pointer to the job summary when it does not fit. Pure.
 */
import { htmlText, markdownText } from "../../shared/markdown/escape.js";
import { changeText, summaryLine } from "../../shared/sync/format.js";
import { kindLabel, operationLabel } from "../../shared/sync/kinds.js";
import {
  destructiveNote,
  type Operation,
  type Plan,
  pendingOperations,
  type RunnerPlan,
  refusedOperations,
} from "../../shared/sync/plan-types.js";
import { COMMENT_BUDGET_CHARS } from "./limits.js";

export interface CommentContext {
  /** The config input this plan is for (one sticky comment per config). */
  config: string;
  /** The commit the plan was made at (the pull request's head). */
  commitSha?: string;
  /** The workflow run, whose job summary holds the whole plan. */
  runUrl?: string;
}

/** Destructive operations named in the banner; the rest are counted. */
const BANNER_NAMES = 20;

function runnerTitle(runner: RunnerPlan): string {
  return runner.runnerName ? `${runner.runnerName} (${runner.runnerId})` : runner.runnerId;
}

function stamp(context: CommentContext): string {
  const parts: string[] = [];
  if (context.commitSha)
    parts.push(`planned at \`${context.commitSha.slice(0, 12).replace(/[^0-9a-f]/gi, "")}\``);
  if (context.runUrl) parts.push(`[workflow run](${context.runUrl})`);
  return parts.join(" · ");
}

function counts(operations: readonly Operation[]): string {
  const byAction = new Map<string, number>();
  for (const operation of operations)
    byAction.set(operation.action, (byAction.get(operation.action) ?? 0) + 1);
  return [...byAction].map(([action, count]) => `${count} to ${action}`).join(", ");
}

function row(operation: Operation, refused: ReadonlySet<Operation>): string {
  const changes = operation.changes.map((change) => markdownText(changeText(change))).join("<br>");
  const note = operation.destructive
    ? `${refused.has(operation) ? "**refused** " : ""}⚠️ ${markdownText(destructiveNote(operation.destructive))}`
    : "";
  return `| ${operation.action} | ${kindLabel(operation)} | ${markdownText(operation.key)} | ${changes} | ${note} |`;
}

function banner(plan: Plan): string {
  const destructive = pendingOperations(plan).filter((operation) => operation.destructive);
  if (destructive.length === 0) return "";
  const names = new Map(
    plan.runners.map((runner) => [runner.runnerId, runner.runnerName ?? runner.runnerId]),
  );
  const lines = destructive
    .slice(0, BANNER_NAMES)
    .map(
      (operation) =>
        `> - ${markdownText(`${operationLabel(operation)} on ${names.get(operation.runnerId)}: ${operation.destructive ? destructiveNote(operation.destructive) : ""}`)}`,
    );
  if (destructive.length > BANNER_NAMES) lines.push(`> - and ${destructive.length - BANNER_NAMES} more`);
  const refused = refusedOperations(plan).length;
  const gate =
    refused > 0
      ? "An apply refuses them, and writes nothing, unless `allow-destructive` is set."
      : "`allow-destructive` is set: an apply will do this.";
  return `> [!CAUTION]\n> **Destructive:** ${destructive.length} operation(s) delete what users depend on. ${gate}\n${lines.join("\n")}\n\n`;
}

export function formatPlanComment(
  plan: Plan,
  context: CommentContext,
  budget = COMMENT_BUDGET_CHARS,
): string {
  const pending = pendingOperations(plan);
  const where = markdownText(context.config);
  const when = stamp(context);
  if (pending.length === 0) {
    return `**Gitpod runner configuration** ${where}: no changes. ${markdownText(summaryLine(plan))}${when ? ` (${when})` : ""}\n`;
  }
  const refused = new Set(refusedOperations(plan));
  const head = `### Gitpod runner configuration plan: ${where}\n\n**${markdownText(summaryLine(plan))}**\n${when ? `\n${when[0]?.toUpperCase()}${when.slice(1)}\n` : ""}\n${banner(plan)}`;
  const tableHead = "| action | kind | item | changes | notes |\n| --- | --- | --- | --- | --- |\n";
  const trimNote = (rest: number) =>
    `\n**${rest} more operations: see the job summary**${context.runUrl ? ` of [the workflow run](${context.runUrl})` : " of the workflow run"}.\n`;
  // Keep room for the trimming note whatever its count.
  const room = budget - trimNote(pending.length).length;

  let body = head;
  let shown = 0;
  let trimmed = false;
  for (const runner of plan.runners) {
    const operations = runner.operations.filter((operation) => operation.action !== "no-op");
    if (operations.length === 0) continue;
    const open = `<details><summary>${htmlText(runnerTitle(runner))}: ${counts(operations)}</summary>\n\n${tableHead}`;
    const close = "\n</details>\n\n";
    if (trimmed || body.length + open.length + close.length > room) {
      trimmed = true;
      break;
    }
    let block = open;
    let rows = 0;
    for (const operation of operations) {
      const line = `${row(operation, refused)}\n`;
      if (body.length + block.length + line.length + close.length > room) {
        trimmed = true;
        break;
      }
      block += line;
      rows++;
    }
    if (rows > 0) body += `${block.trimEnd()}${close}`;
    shown += rows;
    if (trimmed) break;
  }
  return shown < pending.length ? `${body}${trimNote(pending.length - shown)}` : body;
}
