/** Scheduled rotation and the credential audit: engines over the client, and their reports. */
export { DEFAULT_EXPIRY_WARNING_DAYS, runAudit } from "./audit.js";
export { managedFromDesiredState } from "./from-config.js";
export { auditMarkdown, rotationMarkdown } from "./markdown.js";
export { runScheduledRotation } from "./rotate.js";
export { workflowRunLink, workflowRunUrl } from "./run-link.js";
export { parseRotateOnly, RotateOnlyError, selectForRotation } from "./select.js";
export { auditText, rotationText } from "./text.js";
export { auditTitle, rotationItemText, rotationTitle } from "./titles.js";
export { auditTokens } from "./tokens.js";
export type * from "./types.js";
