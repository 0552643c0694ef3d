/** Slack notifications for the Action: webhook or bot token; failures are warnings, never errors. */
export {
  postSlackMessages,
  postSlackNotification,
} from "./post.js";
export {
  type NotifyOn,
  parseNotifyOn,
  shouldNotify,
  slackTargetFrom,
} from "./target.js";
export type { NotifyResult, SlackTarget } from "./types.js";
