/**
 * One error class for everything that can go wrong in a call: Connect errors from the server,
 * HTTP errors from proxies, network failures, timeouts, cancellation, malformed responses and
 * invalid requests caught before sending.
 */

/** Connect protocol codes, plus any code a newer server may send. */
export type ConnectCode =
  | "canceled"
  | "unknown"
  | "invalid_argument"
  | "deadline_exceeded"
  | "not_found"
  | "already_exists"
  | "permission_denied"
  | "resource_exhausted"
  | "failed_precondition"
  | "aborted"
  | "out_of_range"
  | "unimplemented"
  | "internal"
  | "unavailable"
  | "data_loss"
  | "unauthenticated"
  | (string & {});

export interface GitpodApiErrorInit {
  code: ConnectCode;
  rpc: string;
  message: string;
  status?: number;
  retryable?: boolean;
  outcomeUnknown?: boolean;
  details?: unknown[];
  /**
   * What the person running this should change, naming the setting they know (`check ONA_API_KEY`,
   * `check the api-token input`); the transport adds it where a setting can fix the error.
   */
  advice?: string;
  /** Kept for debugging; must already be free of secrets. */
  cause?: unknown;
}

export class GitpodApiError extends Error {
  override readonly name = "GitpodApiError";
  readonly code: ConnectCode;
  readonly rpc: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  /** True when a create may or may not have happened: re-read before deciding what to do. */
  readonly outcomeUnknown: boolean;
  readonly details: unknown[] | undefined;
  /** The server's (or the local) message alone, without the RPC and code prefix. */
  readonly rawMessage: string;
  /** What to change, naming the setting (see GitpodApiErrorInit.advice); part of `message` too. */
  readonly advice: string | undefined;

  constructor(init: GitpodApiErrorInit) {
    const status = init.status === undefined ? "" : ` (HTTP ${init.status})`;
    const advice = init.advice ? `; ${init.advice}` : "";
    super(`${init.rpc} failed: ${init.code}: ${init.message}${status}${advice}`, { cause: init.cause });
    this.code = init.code;
    this.rpc = init.rpc;
    this.status = init.status;
    this.retryable = init.retryable ?? false;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
    this.details = init.details;
    this.rawMessage = init.message;
    this.advice = init.advice;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      code: this.code,
      rpc: this.rpc,
      status: this.status,
      retryable: this.retryable,
      outcomeUnknown: this.outcomeUnknown,
    };
  }
}

/**
 * Connect code for an HTTP status, for error bodies that are not Connect JSON (proxies, gateways).
 * Follows the Connect protocol's table (404 unimplemented; 429, 502, 503, 504 unavailable) except
 * that 400 and 409 keep their everyday meaning and other 5xx are `internal` rather than `unknown`.
 */
export function codeFromHttpStatus(status: number): ConnectCode {
  switch (status) {
    case 400:
      return "invalid_argument";
    case 401:
      return "unauthenticated";
    case 403:
      return "permission_denied";
    case 404:
      return "unimplemented";
    case 409:
      return "already_exists";
    case 429:
    case 502:
    case 503:
    case 504:
      return "unavailable";
    default:
      return status >= 500 ? "internal" : "unknown";
  }
}

/** Codes where trying again later can succeed. */
export function isRetryableCode(code: ConnectCode): boolean {
  return code === "unavailable" || code === "resource_exhausted" || code === "deadline_exceeded";
}

const OFFLINE_WORDS = /\b(offline|not connected|disconnected)\b/i;

/**
 * A call the service forwards to a runner (validation) failed because the runner is not connected.
 * The spec does not say which code the service uses; `failed_precondition` and `unavailable` are both
 * plausible, so the service's words decide.
 */
export function isRunnerOffline(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, rawMessage, message } = error as { code?: unknown; rawMessage?: unknown; message?: unknown };
  if (code !== "failed_precondition" && code !== "unavailable") return false;
  const text = typeof rawMessage === "string" ? rawMessage : typeof message === "string" ? message : "";
  return OFFLINE_WORDS.test(text);
}
