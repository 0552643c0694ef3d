/**
 * A drift run's news for Slack: drift found, changed or resolved, for one config file, with the
 * differences listed (API text escaped) and links to the workflow run and the tracking issue.
 */
import { context, type MessageBlock, type SlackMessage } from "./blocks.js";
import { code, escapeMrkdwn, type Link, linkMrkdwn } from "./mrkdwn.js";
import { sections, splitIntoMessages } from "./split.js";

const TITLES: Record<"new" | "changed" | "resolved", string> = {
  new: "Drift found: the runners no longer match",
  changed: "Drift changed: the runners still do not match",
  resolved: "Drift resolved: the runners match",
};

/** Lines listed before "and N more" (the issue and the run hold them all). */
const LISTED = 20;

export function formatDriftReport(
  transition: "new" | "changed" | "resolved",
  config: string,
  items: readonly string[],
  links: { run?: Link; issue?: Link } = {},
): SlackMessage[] {
  const title = `${TITLES[transition]} ${config}`;
  const listed = items.slice(0, LISTED).map((item) => `• ${escapeMrkdwn(item)}`);
  if (items.length > LISTED) listed.push(`… and ${items.length - LISTED} more`);
  const text =
    transition === "resolved"
      ? `The runners match ${code(config)} again.`
      : `${items.length} difference(s) between the runners and ${code(config)}:\n${listed.join("\n")}`;
  const blocks: MessageBlock[] = sections(text);
  const linkTexts = [links.run, links.issue]
    .filter((link): link is Link => link !== undefined)
    .map(linkMrkdwn);
  if (linkTexts.length > 0) blocks.push(context(...linkTexts));
  return splitIntoMessages(blocks, { text: title, title });
}
