/** Slack notifications for the Action: webhook or bot token; failures are warnings, never errors. */
export {
  DEFAULT_NOTIFY_TIMEOUT_MS,
  DEFAULT_SLACK_API_URL,
  postSlackMessages,
  postSlackNotification,
} from "./post.js";
export {
  NOTIFY_ON,
  type NotifyOn,
  parseNotifyOn,
  type SlackInputs,
  shouldNotify,
  slackTargetFrom,
} from "./target.js";
export type { BotTarget, NotifyOptions, NotifyResult, SlackTarget, WebhookTarget } from "./types.js";
