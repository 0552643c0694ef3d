/**
 * What the bot learns from its Gitpod client's calls, without wrapping any of them: the client logs
 * one line per attempt to its `logger`, and this observer turns those lines into call records for
 * the metrics and for readiness (whether the API accepts the token).
 */
import type { Logger } from "../../shared/api/transport.js";

export interface GitpodCallRecord {
  rpc: string;
  /** "ok", or the Connect code of the failed attempt (e.g. "unauthenticated", "unavailable"). */
  code: string;
  /** HTTP status; absent when no answer came (network error, timeout). */
  status?: number;
  durationMs: number;
}

type Listener = (call: GitpodCallRecord) => void;

/** Give it to the GitpodClient as `logger`; createBot subscribes to it. */
export class GitpodCalls implements Logger {
  readonly #listeners = new Set<Listener>();

  debug(_message: string, fields: Record<string, unknown> = {}): void {
    if (typeof fields.rpc !== "string") return;
    // The transport logs a failed attempt with its code and a finished one without.
    const code = typeof fields.code === "string" ? fields.code : "ok";
    const call: GitpodCallRecord = {
      rpc: fields.rpc,
      code,
      ...(typeof fields.status === "number" ? { status: fields.status } : {}),
      durationMs: typeof fields.durationMs === "number" ? fields.durationMs : 0,
    };
    for (const listener of this.#listeners) listener(call);
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

export type TokenReadiness = {
  ready: boolean;
  gitpodToken: "unchecked" | "accepted" | "rejected";
  reason: string;
};

/**
 * Whether the Gitpod API accepts the bot's token: unchecked until a call succeeds, rejected after a
 * 401/403 until one succeeds again. Outages (5xx, network errors, timeouts) change nothing: an Ona
 * outage must not take every replica out of service.
 */
export class GitpodTokenState {
  #state: TokenReadiness["gitpodToken"] = "unchecked";
  #rejection: { rpc: string; code: string; status: number } | undefined;

  observe(call: GitpodCallRecord): void {
    if (call.code === "ok") {
      this.#state = "accepted";
      this.#rejection = undefined;
    } else if (call.status === 401 || call.status === 403) {
      this.#state = "rejected";
      this.#rejection = { rpc: call.rpc, code: call.code, status: call.status };
    }
  }

  get accepted(): boolean {
    return this.#state === "accepted";
  }

  /** In words, for /readyz; never the token itself. */
  readiness(): TokenReadiness {
    if (this.#state === "accepted") {
      return { ready: true, gitpodToken: "accepted", reason: "the Gitpod API accepts the bot's token" };
    }
    if (this.#state === "rejected" && this.#rejection) {
      const { rpc, code, status } = this.#rejection;
      return {
        ready: false,
        gitpodToken: "rejected",
        reason: `the Gitpod API refused the bot's token (${code}, HTTP ${status}, on ${rpc}); the bot is ready again once a call with it succeeds, e.g. after the token is replaced or given access`,
      };
    }
    return {
      ready: false,
      gitpodToken: "unchecked",
      reason: "no call to the Gitpod API has succeeded yet, so the bot's token is not known to be accepted",
    };
  }
}
