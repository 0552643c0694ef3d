/** Block Kit message formatting shared by the Slack bot and the Action's notifications. */
export { formatAuditRecord } from "./audit-record.js";
export {
  type MessageBlock,
  SLACK_LIMITS,
} from "./blocks.js";
export { formatError } from "./errors.js";
export { formatIntegrationList } from "./integration-list.js";
export { escapeMrkdwn, splitText } from "./mrkdwn.js";
export {
  formatRotationReport,
  formatRotationResult,
} from "./rotation-result.js";

export { formatValidationResult } from "./validation-result.js";
