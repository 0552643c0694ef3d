/**
 * Inputs of the rotate and audit modes (and Slack notifications). Secrets among them (the webhook
 * URL, the bot token) are masked before anything else happens; errors name inputs, never values.
 */
import * as core from "@actions/core";
import { DEFAULT_EXPIRY_WARNING_DAYS, parseRotateOnly } from "../../shared/credential-upkeep/index.js";
import {
  type NotifyOn,
  parseNotifyOn,
  type SlackTarget,
  slackTargetFrom,
} from "../../shared/notify/index.js";
import { booleanInput, InputError } from "../inputs.js";

/** Where and when a mode posts its result to Slack (plan, apply and drift tracking read only these). */
export interface SlackNotifyInputs {
  slack: SlackTarget | undefined;
  notifyOn: NotifyOn;
  /** Per Slack message; env SLACK_NOTIFY_TIMEOUT_MS (default 10 s). */
  slackTimeoutMs: number | undefined;
}

/** The inputs a mode reads beyond the common ones: the rotate and audit modes' own, and Slack's. */
export interface ModeInputs extends SlackNotifyInputs {
  rotateOnly: string[];
  dryRun: boolean;
  expiryWarningDays: number;
  failOnUnhealthy: boolean;
}

export function readModeInputs(env: Readonly<Record<string, string | undefined>>): ModeInputs {
  const webhookUrl = core.getInput("slack-webhook-url").trim();
  const botToken = core.getInput("slack-bot-token").trim();
  if (webhookUrl) core.setSecret(webhookUrl);
  if (botToken) core.setSecret(botToken);
  const slack = slackTargetFrom({
    webhookUrl,
    botToken,
    channel: core.getInput("slack-channel"),
    apiUrl: core.getInput("slack-api-url"),
  });
  if (slack && "error" in slack) throw new InputError(`input ${slack.error}`);
  const notifyOn = parseNotifyOn(core.getInput("notify-on"));
  if (typeof notifyOn !== "string") throw new InputError(`input ${notifyOn.error}`);

  const daysText = core.getInput("expiry-warning-days").trim() || String(DEFAULT_EXPIRY_WARNING_DAYS);
  const expiryWarningDays = Number(daysText);
  if (!Number.isInteger(expiryWarningDays) || expiryWarningDays < 0 || expiryWarningDays > 3650) {
    throw new InputError(
      `input expiry-warning-days must be a whole number of days from 0 to 3650, got "${daysText}"`,
    );
  }
  const timeoutText = env.SLACK_NOTIFY_TIMEOUT_MS?.trim();
  const slackTimeoutMs = timeoutText ? Number(timeoutText) : undefined;
  if (slackTimeoutMs !== undefined && !(Number.isFinite(slackTimeoutMs) && slackTimeoutMs > 0)) {
    throw new InputError(
      `SLACK_NOTIFY_TIMEOUT_MS must be a positive number of milliseconds, got "${timeoutText}"`,
    );
  }
  return {
    rotateOnly: parseRotateOnly(core.getInput("rotate-only")),
    dryRun: booleanInput("dry-run"),
    expiryWarningDays,
    failOnUnhealthy: booleanInput("fail-on-unhealthy"),
    slack,
    notifyOn,
    slackTimeoutMs,
  };
}
