export { REDACTED } from "../text/scrub.js";
export { GitpodClient, type GitpodClientOptions } from "./client.js";
export { describeApiError } from "./error-in-words.js";
export { GitpodApiError } from "./errors.js";
export { MAX_PAGES, PAGE_SIZE } from "./pagination.js";
export * from "./schemas.js";
export {
  DEFAULT_BASE_URL,
  DEFAULT_MAX_RESPONSE_BYTES,
} from "./transport.js";
