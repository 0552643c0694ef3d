/**
 * Fit any number of blocks into Slack messages: at most 50 blocks per message and 3000 characters
 * per section text. Long content is split across blocks and messages, never cut.
 */
import { context, header, type MessageBlock, SLACK_LIMITS, type SlackMessage, section } from "./blocks.js";
import { escapeMrkdwn, fallbackText, type Link, splitText } from "./mrkdwn.js";

/** One section per ≤3000-character piece of the text. */
export function sections(text: string): MessageBlock[] {
  return splitText(text, SLACK_LIMITS.sectionText).map(section);
}

export interface SplitOptions {
  /** Notification fallback text of every message, plain (escaped here; parts get "(part i of n)"). */
  text: string;
  /** A header on the first message; later messages repeat it in a context line. */
  title?: string;
}

/** The renderers' options carry it, so they pass themselves on. */
export interface BlockBudget {
  /** For tests: a smaller block budget. */
  maxBlocks?: number;
}

/** What a report renderer takes: a link to more detail (the workflow run) and the block budget. */
export interface ReportOptions extends BlockBudget {
  link?: Link;
}

export function splitIntoMessages(
  blocks: readonly MessageBlock[],
  options: SplitOptions,
  budget: BlockBudget = {},
): SlackMessage[] {
  const maxBlocks = budget.maxBlocks ?? SLACK_LIMITS.blocksPerMessage;
  // Room for the header (or "continued" line) and the part counter.
  const perMessage = Math.max(1, maxBlocks - 2);
  const chunks: MessageBlock[][] = [];
  for (let start = 0; start < blocks.length; start += perMessage) {
    chunks.push(blocks.slice(start, start + perMessage));
  }
  if (chunks.length === 0) chunks.push([]);
  const total = chunks.length;
  return chunks.map((chunk, index) => {
    const part = total > 1 ? ` (part ${index + 1} of ${total})` : "";
    const lead: MessageBlock[] = [];
    if (options.title && index === 0) lead.push(header(options.title));
    if (options.title && index > 0) lead.push(context(`*${escapeMrkdwn(options.title)}*, continued`));
    const tail: MessageBlock[] = total > 1 ? [context(`Part ${index + 1} of ${total}`)] : [];
    return { text: fallbackText(`${options.text}${part}`), blocks: [...lead, ...chunk, ...tail] };
  });
}
