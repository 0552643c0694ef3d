export { GitpodClient, type GitpodClientOptions } from "./client.js";
export { type ConnectCode, GitpodApiError } from "./errors.js";
export { PAGE_SIZE, type Page, PageIterator } from "./pagination.js";
export { REDACTED } from "./redact.js";
export * from "./schemas.js";
export {
  type CallOptions,
  DEFAULT_BASE_URL,
  type Logger,
  Transport,
  type TransportOptions,
  USER_AGENT,
} from "./transport.js";
