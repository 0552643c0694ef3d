export { REDACTED } from "../text/scrub.js";
export { GitpodClient, type GitpodClientOptions } from "./client.js";
export { type ApiErrorDescription, describeApiError } from "./error-in-words.js";
export { type ConnectCode, GitpodApiError, isRunnerOffline } from "./errors.js";
export { MAX_PAGES, PAGE_SIZE, type Page, PageIterator } from "./pagination.js";
export * from "./schemas.js";
export {
  type CallOptions,
  DEFAULT_BASE_URL,
  DEFAULT_MAX_RESPONSE_BYTES,
  type Logger,
  Transport,
  type TransportOptions,
  USER_AGENT,
} from "./transport.js";
