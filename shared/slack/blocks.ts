/**
 * The few Block Kit shapes our messages use, typed here so shared/ needs no Slack SDK. They are
 * structurally compatible with @slack/types' KnownBlock.
 */

interface MrkdwnText {
  type: "mrkdwn";
  text: string;
}

interface PlainText {
  type: "plain_text";
  text: string;
  emoji?: boolean;
}

export interface SectionBlock {
  type: "section";
  text: MrkdwnText;
  block_id?: string;
}

export interface HeaderBlock {
  type: "header";
  text: PlainText;
}

export interface ContextBlock {
  type: "context";
  elements: MrkdwnText[];
}

interface DividerBlock {
  type: "divider";
}

export type MessageBlock = SectionBlock | HeaderBlock | ContextBlock | DividerBlock;

/** A message: `text` is the notification/accessibility fallback, `blocks` what people see. */
export interface SlackMessage {
  text: string;
  blocks: MessageBlock[];
}

/** Slack's limits (https://docs.slack.dev/reference/block-kit/blocks). */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
} as const;

export function section(text: string): SectionBlock {
  return { type: "section", text: { type: "mrkdwn", text } };
}

export function header(text: string): HeaderBlock {
  return {
    type: "header",
    text: { type: "plain_text", text: text.slice(0, SLACK_LIMITS.headerText), emoji: true },
  };
}

export function context(...texts: string[]): ContextBlock {
  return { type: "context", elements: texts.map((text) => ({ type: "mrkdwn", text })) };
}
