/** Scheduled rotation and the credential health check (`mode: audit`): engines over the client, and their reports. */

export { managedFromDesiredState } from "./from-config.js";
export { DEFAULT_EXPIRY_WARNING_DAYS, runHealthCheck } from "./health-check.js";
export { healthCheckMarkdown, rotationMarkdown } from "./markdown.js";
export { runScheduledRotation } from "./rotate.js";
export { parseRotateOnly, RotateOnlyError } from "./select.js";
export { healthCheckText, rotationText } from "./text.js";
export { healthCheckTitle, rotationItemText, rotationTitle } from "./titles.js";

export type * from "./types.js";
