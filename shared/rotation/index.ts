/** The credential-rotation protocol, shared by the Slack bot and scheduled rotation. */
export { KeyedLock } from "./lock.js";
export { rotateScmCredentials } from "./protocol.js";

export type { RotationResult } from "./types.js";
