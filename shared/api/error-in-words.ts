/**
 * Friendly words for a failed Gitpod API call, for every caller (the action, the CLI, the bot): they
 * name no caller. Where a person must change a setting (a rejected token, a moved address), the
 * error's `advice` says which, in the words of the face that built the client (`check ONA_API_KEY`,
 * `check the api-token input`, the bot's operator). Works on anything thrown; reads the fields of
 * GitpodApiError (code, status, rpc, advice) by shape so it also copes with plain errors. The client
 * guarantees its error messages carry no secret; callers may scrub further.
 */
import { isRunnerOffline } from "./errors.js";

export interface ApiErrorDescription {
  /** A Connect code, "network" for transport failures, or "unexpected" for anything else. */
  code: string;
  /** One sentence for a person, e.g. "The Gitpod API did not answer in time." */
  text: string;
  /** Worth trying again later (timeouts, rate limits, unavailability). */
  transient: boolean;
}

interface ApiErrorShape {
  code?: unknown;
  status?: unknown;
  rpc?: unknown;
  message?: unknown;
  name?: unknown;
  advice?: unknown;
}

const WORDS: Record<string, { text: string; transient: boolean }> = {
  unauthenticated: {
    text: "The Gitpod API rejected the API token (unauthenticated): check the API token.",
    transient: false,
  },
  redirected: {
    text: "The Gitpod API answered with a redirect, which is never followed (the API token is not sent elsewhere): check the API address.",
    transient: false,
  },
  permission_denied: {
    text: "The API token is not allowed to do this (permission denied).",
    transient: false,
  },
  not_found: { text: "Gitpod could not find it (not found).", transient: false },
  invalid_argument: { text: "Gitpod refused the request as invalid.", transient: false },
  already_exists: { text: "It already exists in Gitpod.", transient: false },
  failed_precondition: { text: "Gitpod refused the request in the current state.", transient: false },
  resource_exhausted: {
    text: "The Gitpod API is rate limiting requests: try again in a minute.",
    transient: true,
  },
  unavailable: { text: "The Gitpod API is unavailable right now: try again in a minute.", transient: true },
  deadline_exceeded: {
    text: "The Gitpod API did not answer in time: try again in a minute.",
    transient: true,
  },
  canceled: { text: "The request to the Gitpod API was cancelled.", transient: true },
  internal: { text: "The Gitpod API had an internal error.", transient: true },
  network: { text: "Could not reach the Gitpod API (network error).", transient: true },
};

function isTimeout(shape: ApiErrorShape): boolean {
  return shape.name === "TimeoutError" || shape.name === "AbortError";
}

export function describeApiError(error: unknown): ApiErrorDescription {
  const shape: ApiErrorShape = typeof error === "object" && error !== null ? (error as ApiErrorShape) : {};
  if (isRunnerOffline(error)) {
    const rpc = typeof shape.rpc === "string" ? ` (${shape.rpc})` : "";
    return {
      code: "runner_offline",
      text: appendRpc(
        "The runner is offline, so Gitpod cannot check the credentials through it: try again when it is connected.",
        rpc,
      ),
      transient: true,
    };
  }
  let code = typeof shape.code === "string" ? shape.code : undefined;
  if (code === undefined && isTimeout(shape)) code = "deadline_exceeded";
  if (code === undefined && shape.status === undefined && shape.name === "GitpodApiError") code = "network";
  const known = code === undefined ? undefined : WORDS[code];
  const rpc = typeof shape.rpc === "string" ? ` (${shape.rpc})` : "";
  if (known) {
    const text = typeof shape.advice === "string" ? withAdvice(known.text, shape.advice) : known.text;
    return { code: code ?? "unexpected", text: appendRpc(text, rpc), transient: known.transient };
  }
  if (code !== undefined) {
    return { code, text: `The Gitpod API answered with an error: ${code}${rpc}.`, transient: false };
  }
  return {
    code: "unexpected",
    text: "Something unexpected went wrong; the log has the details.",
    transient: false,
  };
}

/** "…: check the API token." with its generic advice replaced by the error's own ("check ONA_API_KEY"). */
function withAdvice(text: string, advice: string): string {
  const colon = text.lastIndexOf(": ");
  return `${colon < 0 ? text.slice(0, -1) : text.slice(0, colon)}: ${advice}.`;
}

function appendRpc(text: string, rpc: string): string {
  return rpc ? `${text.slice(0, -1)}${rpc}.` : text;
}
