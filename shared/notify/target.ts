/** The Slack target from the Action's inputs, and whether a result should be posted at all. */
import type { SlackTarget } from "./types.js";

export interface SlackInputs {
  webhookUrl?: string;
  botToken?: string;
  channel?: string;
  apiUrl?: string;
}

/**
 * undefined when Slack is not configured; an error sentence when it is configured wrongly (both
 * kinds at once, or a bot token without a channel). The sentence names inputs, never their values.
 */
export function slackTargetFrom(inputs: SlackInputs): SlackTarget | undefined | { error: string } {
  const webhookUrl = inputs.webhookUrl?.trim();
  const botToken = inputs.botToken?.trim();
  const channel = inputs.channel?.trim();
  if (webhookUrl && botToken) return { error: "set either slack-webhook-url or slack-bot-token, not both" };
  if (webhookUrl) return { webhookUrl };
  if (botToken) {
    if (!channel) return { error: "slack-bot-token needs slack-channel" };
    const apiUrl = inputs.apiUrl?.trim();
    return apiUrl ? { botToken, channel, apiUrl } : { botToken, channel };
  }
  if (channel) return { error: "slack-channel needs slack-bot-token" };
  return undefined;
}

const NOTIFY_ON = ["always", "failure", "never"] as const;
export type NotifyOn = (typeof NOTIFY_ON)[number];

export function parseNotifyOn(text: string | undefined): NotifyOn | { error: string } {
  const value = (text ?? "").trim().toLowerCase() || "always";
  return (NOTIFY_ON as readonly string[]).includes(value)
    ? (value as NotifyOn)
    : { error: `notify-on must be one of ${NOTIFY_ON.join(", ")}, not "${text}"` };
}

/** `failure` posts only when the run did not succeed (a refusal, a failure, an unhealthy audit). */
export function shouldNotify(notifyOn: NotifyOn, succeeded: boolean): boolean {
  return notifyOn === "always" || (notifyOn === "failure" && !succeeded);
}
