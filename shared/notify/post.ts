/**
 * Post a Block Kit message to Slack through an incoming webhook or chat.postMessage. Whatever goes
 * wrong (a refusal, a timeout, no network) comes back as a warning whose text never contains the
 * webhook URL or the token.
 */

import { type Dispatcher, fetch } from "undici";
import { createDispatcher } from "../api/transport.js";
import { scrub } from "../text/scrub.js";
import type { NotifyOptions, NotifyResult, SlackMessage, SlackTarget } from "./types.js";

const DEFAULT_SLACK_API_URL = "https://slack.com/api/";
const DEFAULT_NOTIFY_TIMEOUT_MS = 10_000;

const PREFIX = "Slack notification not sent";

interface Prepared {
  url: URL;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** The Web API answers {ok, error}; a webhook answers "ok" or an error word. */
  kind: "webhook" | "api";
  secrets: string[];
}

function httpUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:" ? url : undefined;
  } catch {
    return undefined;
  }
}

function prepare(target: SlackTarget, message: SlackMessage): Prepared | string {
  const payload = { text: message.text, blocks: message.blocks };
  if ("webhookUrl" in target) {
    const url = httpUrl(target.webhookUrl.trim());
    if (!url) return "the Slack webhook URL is not an http(s) URL";
    return {
      url,
      headers: { "content-type": "application/json; charset=utf-8" },
      body: payload,
      kind: "webhook",
      secrets: [target.webhookUrl, url.href, url.pathname],
    };
  }
  if (!target.botToken.trim()) return "the Slack bot token is empty";
  if (!target.channel.trim()) return "a Slack bot token needs a channel (slack-channel)";
  const base = httpUrl(target.apiUrl?.trim() || DEFAULT_SLACK_API_URL);
  if (!base) return "the Slack API URL is not an http(s) URL";
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  return {
    url: new URL("chat.postMessage", base),
    headers: {
      "content-type": "application/json; charset=utf-8",
      authorization: `Bearer ${target.botToken.trim()}`,
    },
    body: { channel: target.channel.trim(), unfurl_links: false, unfurl_media: false, ...payload },
    kind: "api",
    secrets: [target.botToken, target.botToken.trim()],
  };
}

/** Slack's error answers are short words ("no_service", "channel_not_found"); anything else is dropped. */
function errorWord(text: unknown): string | undefined {
  return typeof text === "string" && /^[a-z0-9_]{1,80}$/.test(text.trim()) ? text.trim() : undefined;
}

function networkWords(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: unknown })?.name;
  if (name === "TimeoutError" || name === "AbortError") {
    return `Slack did not answer within ${Math.round(timeoutMs / 100) / 10} s`;
  }
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  const code = typeof cause?.code === "string" && /^[A-Z_]+$/.test(cause.code) ? ` (${cause.code})` : "";
  return `could not reach Slack${code}`;
}

async function send(
  prepared: Prepared,
  timeoutMs: number,
  dispatcher: Dispatcher,
): Promise<string | undefined> {
  const response = await fetch(prepared.url, {
    method: "POST",
    headers: prepared.headers,
    body: JSON.stringify(prepared.body),
    signal: AbortSignal.timeout(timeoutMs),
    redirect: "error",
    dispatcher,
  });
  const text = await response.text();
  if (prepared.kind === "webhook") {
    if (response.status === 200) return undefined;
    const word = errorWord(text);
    return `the Slack webhook answered HTTP ${response.status}${word ? ` (${word})` : ""}`;
  }
  let answer: { ok?: unknown; error?: unknown } = {};
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    // Not JSON: judged by the status below.
  }
  if (response.status !== 200) {
    const word = errorWord(answer.error);
    return `the Slack API answered HTTP ${response.status}${word ? ` (${word})` : ""}`;
  }
  if (answer.ok !== true)
    return `Slack refused the message (${errorWord(answer.error) ?? "no reason given"})`;
  return undefined;
}

export async function postSlackNotification(
  target: SlackTarget,
  message: SlackMessage,
  options: NotifyOptions = {},
): Promise<NotifyResult> {
  const prepared = prepare(target, message);
  if (typeof prepared === "string") return { ok: false, warning: `${PREFIX}: ${prepared}.` };
  const timeoutMs = options.timeoutMs ?? DEFAULT_NOTIFY_TIMEOUT_MS;
  const dispatcher = createDispatcher({ ...(options.env ?? process.env) }, 1);
  try {
    const problem = await send(prepared, timeoutMs, dispatcher);
    return problem ? { ok: false, warning: scrub(`${PREFIX}: ${problem}.`, prepared.secrets) } : { ok: true };
  } catch (error) {
    return { ok: false, warning: scrub(`${PREFIX}: ${networkWords(error, timeoutMs)}.`, prepared.secrets) };
  } finally {
    await dispatcher.destroy().catch(() => {});
  }
}

/** Post the parts of a message in order; stop at the first failure (the rest would fail alike). */
export async function postSlackMessages(
  target: SlackTarget,
  messages: readonly SlackMessage[],
  options: NotifyOptions = {},
): Promise<NotifyResult> {
  for (const message of messages) {
    const result = await postSlackNotification(target, message, options);
    if (!result.ok) return result;
  }
  return { ok: true };
}
