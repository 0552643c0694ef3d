export { REDACTED } from "../text/scrub.js";
export { GitpodClient, type GitpodClientOptions } from "./client.js";
export { describeApiError } from "./error-in-words.js";
export { GitpodApiError } from "./errors.js";
export { MAX_PAGES, PAGE_SIZE } from "./pagination.js";
export * from "./resources/environment-classes.wire.js";
export * from "./resources/host-authentication-tokens.wire.js";
export * from "./resources/llm-integrations.wire.js";
export * from "./resources/schema.wire.js";
export * from "./resources/scm-integrations.wire.js";
export * from "./resources/validate.wire.js";
export * from "./rpcs.js";
export {
  DEFAULT_BASE_URL,
  DEFAULT_MAX_RESPONSE_BYTES,
} from "./transport.js";
