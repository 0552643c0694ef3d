/** Errors and notices as friendly messages: what failed, in words, and what to do. */
import { describeApiError } from "../rotation/api-error-in-words.js";
import type { SlackMessage } from "./blocks.js";
import { escapeMrkdwn } from "./mrkdwn.js";
import { sections } from "./split.js";

/** ":warning: Could not list SCM integrations: The Gitpod API did not answer in time: …" */
export function formatError(doing: string, error: unknown): SlackMessage {
  const { text } = describeApiError(error);
  const line = `Could not ${doing}: ${text}`;
  return { text: line, blocks: sections(`:warning: ${escapeMrkdwn(line)}`) };
}

/** A plain notice; `mrkdwn` is already formatted (escape user text before passing it). */
export function formatNotice(mrkdwn: string, fallback?: string): SlackMessage {
  return { text: fallback ?? mrkdwn.replace(/[*_`]/g, ""), blocks: sections(mrkdwn) };
}
