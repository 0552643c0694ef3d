/** Where a notification goes and what came of it. Both kinds of target hold a secret. */
import type { SlackMessage } from "../slack/blocks.js";

interface WebhookTarget {
  /** An incoming-webhook URL: a secret (anyone holding it can post). */
  webhookUrl: string;
}

interface BotTarget {
  /** A bot token (xoxb-…): a secret. */
  botToken: string;
  /** A channel id (C…) or name the bot is a member of. */
  channel: string;
  /** The Web API base URL; default https://slack.com/api/ (tests point it at a fake). */
  apiUrl?: string;
}

export type SlackTarget = WebhookTarget | BotTarget;

/** Never thrown: a failed notification is a warning for the log, not a failed run. */
export type NotifyResult = { ok: true } | { ok: false; warning: string };

export interface NotifyOptions {
  /** Per message; default 10 s. */
  timeoutMs?: number;
  /** For HTTPS_PROXY / NO_PROXY; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

export type { SlackMessage };
