/**
 * The result of a scheduled rotation run as Block Kit: a header, one section per integration in the
 * look of the bot's rotation messages, and a link to the workflow run. No secret: the report has none.
 */
import { ROTATION_STATUS_WORDS } from "../credential-upkeep/status-words.js";
import { rotationItemText, rotationTitle } from "../credential-upkeep/titles.js";
import type {
  ScheduledRotationItem,
  ScheduledRotationReport,
  ScheduledRotationStatus,
} from "../credential-upkeep/types.js";
import { context, type MessageBlock, type SlackMessage } from "./blocks.js";
import { bold, code, escapeMrkdwn, linkMrkdwn } from "./mrkdwn.js";
import { rotationHeadline } from "./rotation-result.js";
import { type ReportOptions, sections, splitIntoMessages } from "./split.js";

function statusHeadline(status: ScheduledRotationStatus): string {
  const words = ROTATION_STATUS_WORDS[status];
  return `${words.slackEmoji} ${words.headline}`;
}

function itemBlocks(item: ScheduledRotationItem): MessageBlock[] {
  const headline =
    item.rotation && item.llmEndpoint === undefined
      ? rotationHeadline(item.rotation)
      : `${statusHeadline(item.status)}: ${bold(rotationItemText(item))}`;
  const lines = [headline, escapeMrkdwn(item.reason)];
  const failed = item.rotation?.steps.find((step) => step.status === "failed");
  if (failed && !item.reason.includes(failed.detail))
    lines.push(`${failed.step}: ${escapeMrkdwn(failed.detail)}`);
  const runner = item.runnerName ? `${item.runnerName} (${item.runnerId})` : item.runnerId;
  const facts = [`Runner ${escapeMrkdwn(runner)}`];
  if (item.tokenId) facts.push(`token ID ${code(item.tokenId)}`);
  else if (item.llmIntegrationId) facts.push(`LLM integration ID ${code(item.llmIntegrationId)}`);
  else if (item.integrationId) facts.push(`ID ${code(item.integrationId)}`);
  return [...sections(lines.join("\n")), context(facts.join(" · "))];
}

export function formatScheduledRotationReport(
  report: ScheduledRotationReport,
  options: ReportOptions = {},
): SlackMessage[] {
  const title = rotationTitle(report);
  const blocks: MessageBlock[] = report.items.flatMap(itemBlocks);
  if (report.items.length === 0) {
    blocks.push(
      ...sections("No SCM integration in the runner-config file has an OAuth client secret to rotate."),
    );
  }
  if (options.link) blocks.push(context(linkMrkdwn(options.link)));
  return splitIntoMessages(blocks, { text: title, title }, options);
}
