/**
 * The apply report's model: the words every renderer (job log, job summary, Slack) uses for the
 * result as a whole and for each operation's status. Pure.
 */
import type { ApplyResult, OperationOutcome } from "./apply.js";

type OutcomeStatus = OperationOutcome["status"];

/** The sign of each status: `emoji` in markdown, `slackEmoji` in Block Kit. */
export const OUTCOME_SIGNS: Record<OutcomeStatus, { emoji: string; slackEmoji: string }> = {
  done: { emoji: "✅", slackEmoji: ":white_check_mark:" },
  failed: { emoji: "❌", slackEmoji: ":x:" },
  refused: { emoji: "⛔", slackEmoji: ":no_entry:" },
  unknown: { emoji: "❓", slackEmoji: ":grey_question:" },
  "not-started": { emoji: "⏸️", slackEmoji: ":double_vertical_bar:" },
};

const NOTHING_TO_APPLY = "No changes: the runners already match the file; nothing was written.";

export interface ApplySummary {
  done: number;
  total: number;
  /** A title line (Slack header and notification text). */
  title: string;
  /** The sentence that ends the log and opens the job summary. */
  headline: string;
}

/**
 * What an apply did not establish or did not do, in words: writes whose effect is unknown, and
 * operations a cancellation kept from starting. Empty when there are none.
 */
export function shortfallNote(result: ApplyResult): string {
  const unknown = result.outcomes.filter((o) => o.status === "unknown").length;
  const notStarted = result.outcomes.filter((o) => o.status === "not-started").length;
  const notes: string[] = [];
  if (unknown > 0)
    notes.push(`${unknown} of them may or may not have happened: run plan again to see where things stand.`);
  if (notStarted > 0) notes.push(`${notStarted} not started: the run was cancelled.`);
  return notes.length === 0 ? "" : ` ${notes.join(" ")}`;
}

export function summarizeApply(result: ApplyResult): ApplySummary {
  const total = result.outcomes.length;
  const done = result.outcomes.filter((outcome) => outcome.status === "done").length;
  if (total === 0) {
    return {
      done,
      total,
      title: "Gitpod runner configuration: nothing to apply",
      headline: NOTHING_TO_APPLY,
    };
  }
  if (done === total) {
    return {
      done,
      total,
      title: `Gitpod runner configuration applied: ${done} change(s)`,
      headline: `Apply complete: ${done} change(s) made.`,
    };
  }
  return {
    done,
    total,
    title: `Gitpod runner configuration apply finished with errors: ${done} of ${total} change(s) done`,
    headline: `Apply finished with errors: ${done} done, ${total - done} not done (each is listed with its reason).${shortfallNote(result)}`,
  };
}
