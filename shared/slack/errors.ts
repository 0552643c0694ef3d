/** Errors as friendly messages: what failed, in words, and what to do. */
import { describeApiError } from "../api/error-in-words.js";
import type { SlackMessage } from "./blocks.js";
import { escapeMrkdwn, fallbackText } from "./mrkdwn.js";
import { sections } from "./split.js";

/** ":warning: Could not list SCM integrations: The Gitpod API did not answer in time: …" */
export function formatError(doing: string, error: unknown): SlackMessage {
  const { text } = describeApiError(error);
  const line = `Could not ${doing}: ${text}`;
  return { text: fallbackText(line), blocks: sections(`:warning: ${escapeMrkdwn(line)}`) };
}
