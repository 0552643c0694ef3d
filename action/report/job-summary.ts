/**
 * The job summary: fitted under GitHub's 1 MiB per step, and a warning instead of a failure where
 * there is no summary file (a local run, e.g. with @github/local-action).
 */
import * as core from "@actions/core";
import { SUMMARY_BUDGET_BYTES } from "./limits.js";

/**
 * Cuts markdown at a line boundary so that it and the note fit in `maxBytes`. Tables stay tables: a
 * cut drops whole rows. Pure.
 */
export function fitMarkdownBytes(
  markdown: string,
  maxBytes: number,
  note: (droppedLines: number) => string,
): string {
  if (Buffer.byteLength(markdown) <= maxBytes) return markdown;
  const lines = markdown.split("\n");
  const reserve = Buffer.byteLength(note(lines.length)) + 2;
  let used = 0;
  let kept = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(line) + 1;
    if (used + size > maxBytes - reserve) break;
    used += size;
    kept++;
  }
  return `${lines.slice(0, kept).join("\n")}\n\n${note(lines.length - kept)}\n`;
}

export async function writeJobSummary(
  markdown: string,
  env: Record<string, string | undefined>,
  whereTheRestIs = "the log",
): Promise<void> {
  if (!env.GITHUB_STEP_SUMMARY) {
    core.warning("GITHUB_STEP_SUMMARY is not set (a local run?): the job summary was not written");
    return;
  }
  const fitted = fitMarkdownBytes(
    markdown,
    SUMMARY_BUDGET_BYTES,
    (dropped) =>
      `**Trimmed:** ${dropped} more lines did not fit in GitHub's 1 MiB job summary; they are in ${whereTheRestIs}.`,
  );
  await core.summary.addRaw(fitted).write();
}
