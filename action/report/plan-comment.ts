/**
 * The plan as a pull-request comment: the plan report (shared/sync/plan-report.ts) laid out to fit
 * GitHub's 65,536 characters. The words and the table cells are the job summary's; what is the
 * comment's own is layout: a short header (the summary, a destructive banner, the commit it was
 * planned at, the run), one collapsible block per runner, and trimming with a pointer to the job
 * summary when it does not fit. Pure.
 */
import { htmlText, markdownText } from "../../shared/markdown/escape.js";
import { planNoteLines, planTableHead, planTableRow } from "../../shared/sync/plan-markdown.js";
import { describePlan, type PlanReport } from "../../shared/sync/plan-report.js";
import type { Plan } from "../../shared/sync/plan-types.js";
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

function stamp(context: CommentContext): string {
  const parts: string[] = [];
  if (context.commitSha)
    parts.push(`planned at \`${context.commitSha.slice(0, 12).replace(/[^0-9a-f]/gi, "")}\``);
  if (context.runUrl) parts.push(`[workflow run](${context.runUrl})`);
  return parts.join(" · ");
}

function banner(report: PlanReport): string {
  const { destructive } = report;
  if (destructive.items.length === 0) return "";
  const lines = destructive.items.slice(0, BANNER_NAMES).map((item) => `> - ${markdownText(item)}`);
  if (destructive.items.length > BANNER_NAMES)
    lines.push(`> - and ${destructive.items.length - BANNER_NAMES} more`);
  return `> [!CAUTION]\n> **Destructive:** ${markdownText(`${destructive.warning} ${destructive.gate}`)}\n${lines.join("\n")}\n\n`;
}

/** What did not fit, counted, with the way to the rest. */
function trimNote(operations: number, notes: number, context: CommentContext): string {
  const parts = [
    ...(operations > 0 ? [`${operations} more operations`] : []),
    ...(notes > 0 ? [`${notes} more notes`] : []),
  ];
  return `\n**${parts.join(" and ")}: see the job summary**${context.runUrl ? ` of [the workflow run](${context.runUrl})` : " of the workflow run"}.\n`;
}

export function formatPlanComment(
  plan: Plan,
  context: CommentContext,
  budget = COMMENT_BUDGET_CHARS,
): string {
  const report = describePlan(plan);
  const where = markdownText(context.config);
  const when = stamp(context);
  const runners = report.runners
    .map((runner) => ({ runner, notes: planNoteLines(runner) }))
    .filter(({ runner, notes }) => runner.changing.length > 0 || notes.length > 0);
  const totalNotes = runners.reduce((sum, { notes }) => sum + notes.length, 0);
  if (runners.length === 0) {
    return `**Gitpod runner configuration** ${where}: no changes. ${markdownText(report.summary)}${when ? ` (${when})` : ""}\n`;
  }
  const head = `### ${report.title}: ${where}\n\n**${markdownText(report.summary)}**${report.unmanaged ? ` ${markdownText(report.unmanaged)}` : ""}\n${when ? `\n${when[0]?.toUpperCase()}${when.slice(1)}\n` : ""}\n${banner(report)}`;
  // Keep room for the trimming note whatever its counts.
  const room = budget - trimNote(report.pending, totalNotes, context).length;

  let body = head;
  let shownOperations = 0;
  let shownNotes = 0;
  for (const { runner, notes } of runners) {
    const what = runner.changing.length > 0 ? runner.counts : "no changes";
    const open = `<details><summary>${htmlText(runner.heading)}: ${what}</summary>\n\n`;
    const close = "\n</details>\n\n";
    let block = open;
    const fits = (line: string) => body.length + block.length + line.length + close.length <= room;
    let full = false;
    for (const note of notes) {
      if (!fits(`${note}\n`)) {
        full = true;
        break;
      }
      block += `${note}\n`;
      shownNotes++;
    }
    let table = notes.length > 0 ? `\n${planTableHead()}` : planTableHead();
    for (const item of full ? [] : runner.changing) {
      const line = `${table}${planTableRow(item)}\n`;
      if (!fits(line)) {
        full = true;
        break;
      }
      block += line;
      table = "";
      shownOperations++;
    }
    if (block !== open) body += `${block.trimEnd()}${close}`;
    if (full) break;
  }
  const restOperations = report.pending - shownOperations;
  const restNotes = totalNotes - shownNotes;
  return restOperations > 0 || restNotes > 0
    ? `${body}${trimNote(restOperations, restNotes, context)}`
    : body;
}
