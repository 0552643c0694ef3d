/**
 * The result of an apply as Block Kit, in the look of the scheduled reports: a header, one line per
 * operation that was not a no-op, and a link to the workflow run. Plans hold no secret values.
 */
import type { ApplyResult } from "../sync/apply.js";
import { kindLabel } from "../sync/kinds.js";
import { context, type MessageBlock, type SlackMessage } from "./blocks.js";
import { code, escapeMrkdwn } from "./mrkdwn.js";
import { sections, splitIntoMessages } from "./split.js";

export function applyTitle(result: ApplyResult): string {
  const done = result.outcomes.filter((outcome) => outcome.status === "done").length;
  if (result.outcomes.length === 0) return "Gitpod runner configuration: nothing to apply";
  return result.ok
    ? `Gitpod runner configuration applied: ${done} change(s)`
    : `Gitpod runner configuration apply failed: ${done} of ${result.outcomes.length} change(s) done`;
}

export function formatApplyReport(
  result: ApplyResult,
  options: { link?: { url: string; text: string } | undefined; maxBlocks?: number } = {},
): SlackMessage[] {
  const title = applyTitle(result);
  const lines = result.outcomes.map(({ operation, status, error }) => {
    const icon =
      status === "done"
        ? ":white_check_mark:"
        : status === "refused"
          ? ":no_entry:"
          : status === "unknown"
            ? ":grey_question:"
            : ":x:";
    const kind = kindLabel(operation);
    const reason = error ? `: ${escapeMrkdwn(error)}` : "";
    return `${icon} ${operation.action} ${kind} ${code(operation.key)} on ${code(operation.runnerId)}${reason}`;
  });
  const blocks: MessageBlock[] =
    lines.length > 0 ? sections(lines.join("\n")) : sections("No changes were needed.");
  if (options.link)
    blocks.push(context(`<${encodeURI(options.link.url)}|${escapeMrkdwn(options.link.text)}>`));
  return splitIntoMessages(blocks, { text: title, title, maxBlocks: options.maxBlocks });
}
