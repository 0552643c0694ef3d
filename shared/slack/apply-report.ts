/**
 * The result of an apply as Block Kit, in the look of the scheduled reports: a header, one line per
 * operation that was not a no-op, and a link to the workflow run. Plans hold no secret values.
 */

import { kindLabel } from "../kinds/registry.js";
import type { ApplyResult } from "../sync/apply.js";
import { OUTCOME_SIGNS, summarizeApply } from "../sync/apply-summary.js";
import { context, type MessageBlock, type SlackMessage } from "./blocks.js";
import { code, escapeMrkdwn, linkMrkdwn } from "./mrkdwn.js";
import { type ReportOptions, sections, splitIntoMessages } from "./split.js";

export function formatApplyReport(result: ApplyResult, options: ReportOptions = {}): SlackMessage[] {
  const summary = summarizeApply(result);
  const title = summary.title;
  const lines = result.outcomes.map(({ operation, status, error }) => {
    const icon = OUTCOME_SIGNS[status].slackEmoji;
    const kind = kindLabel(operation);
    const reason = error ? `: ${escapeMrkdwn(error)}` : "";
    return `${icon} ${operation.action} ${kind} ${code(operation.key)} on ${code(operation.runnerId)}${reason}`;
  });
  const blocks: MessageBlock[] = lines.length > 0 ? sections(lines.join("\n")) : sections(summary.headline);
  if (options.link) blocks.push(context(linkMrkdwn(options.link)));
  return splitIntoMessages(blocks, { text: title, title }, options);
}
