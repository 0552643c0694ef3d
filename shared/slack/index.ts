/** Block Kit message formatting shared by the Slack bot and the Action's notifications. */
export { type AuditOutcome, type AuditRecord, formatAuditRecord } from "./audit-record.js";
export {
  context,
  divider,
  header,
  type MessageBlock,
  SLACK_LIMITS,
  type SlackMessage,
  section,
} from "./blocks.js";
export { formatError } from "./errors.js";
export {
  formatIntegrationList,
  type IntegrationListItem,
  type IntegrationListOptions,
  integrationLines,
} from "./integration-list.js";
export { bold, code, escapeMrkdwn, splitText, userMention } from "./mrkdwn.js";
export {
  formatRotationReport,
  formatRotationResult,
  type RotationReportOptions,
  type RotationResultOptions,
  rotationHeadline,
  rotationStepLines,
  rotationSubject,
} from "./rotation-result.js";
export { type SplitOptions, sections, splitIntoMessages } from "./split.js";
export { expiryInWords, relativeTime } from "./time.js";
export { formatValidationResult, type ValidationResultInput } from "./validation-result.js";
