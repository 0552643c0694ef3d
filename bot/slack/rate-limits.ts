/**
 * Slack's rate limits, with the wait capped. Left to itself the Web API client pauses every call
 * for as long as a 429's Retry-After says (an hour, if Slack says so), so every follow-up hangs and
 * the bot answers "busy" to everyone. Here the client rejects rate-limited calls
 * (`rejectRateLimitedCalls`), and each call is retried once after the wait only when the wait is
 * short; otherwise it fails at once with SlackRateLimitedError, which says so in words. Limits are
 * per method, as Slack's are, and reported by /healthz until they lapse.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { JsonLogger } from "../logger.js";

/** The longest a call waits for Slack's Retry-After before failing instead. */
const MAX_SLACK_RATE_LIMIT_WAIT_MS = 10_000;

/** The Web API method families the bot calls (see slack-api.ts and the manifest's scopes). */
const WEB_API_FAMILIES = new Set(["auth", "chat", "conversations", "usergroups", "users", "views"]);

export class SlackRateLimitedError extends Error {
  constructor(
    readonly method: string,
    readonly until: number,
  ) {
    const seconds = Math.max(1, Math.ceil((until - Date.now()) / 1000));
    super(
      `Slack is rate limiting the bot's ${method} calls and asked it to wait ${seconds} s (until ${new Date(until).toISOString().slice(11, 19)} UTC)`,
    );
    this.name = "SlackRateLimitedError";
  }
}

function retryAfterSeconds(error: unknown): number | undefined {
  const candidate = error as { code?: string; retryAfter?: unknown };
  return candidate?.code === "slack_webapi_rate_limited_error" && typeof candidate.retryAfter === "number"
    ? candidate.retryAfter
    : undefined;
}

export class SlackRateLimits {
  /** Method → until when Slack asked the bot to wait (ms since the epoch). */
  readonly #until = new Map<string, number>();

  constructor(
    private readonly logger: JsonLogger,
    private readonly maxWaitMs = MAX_SLACK_RATE_LIMIT_WAIT_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The methods Slack is rate limiting now, and until when (ISO times), for /healthz. */
  current(): Array<{ method: string; until: string }> {
    const now = this.now();
    return [...this.#until]
      .filter(([, until]) => until > now)
      .map(([method, until]) => ({ method, until: new Date(until).toISOString() }));
  }

  /**
   * `client` with every Web API method (`chat.postMessage`, `usergroups.users.list`, …) following
   * the rules above. (Patching `apiCall` would not do: the client binds each method to it at
   * construction.)
   */
  wrap<Client extends object>(client: Client): Client {
    const wrapNamespace = <T extends object>(target: T, path: string): T =>
      new Proxy(target, {
        get: (object, key, receiver) => {
          const value: unknown = Reflect.get(object, key, receiver);
          if (typeof key !== "string" || value === null) return value;
          const method = path ? `${path}.${key}` : key;
          if (!path) {
            // Only the Web API's method families, not the client's own members (apiCall, logger).
            if (!WEB_API_FAMILIES.has(key) || typeof value !== "object") return value;
            return wrapNamespace(value, method);
          }
          if (typeof value === "function")
            return (...args: unknown[]) => this.#call(method, () => value.apply(object, args));
          return typeof value === "object" && !path.includes(".") ? wrapNamespace(value, method) : value;
        },
      });
    return wrapNamespace(client, "");
  }

  async #call<T>(method: string, send: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await this.#waitOrFail(method);
      try {
        return await send();
      } catch (error) {
        const seconds = retryAfterSeconds(error);
        if (seconds === undefined) throw error;
        const until = this.now() + seconds * 1000;
        this.#until.set(method, Math.max(until, this.#until.get(method) ?? 0));
        this.logger.warn("slack_rate_limited", { method, retryAfterSeconds: seconds, attempt });
        if (attempt > 0 || seconds * 1000 > this.maxWaitMs) throw new SlackRateLimitedError(method, until);
      }
    }
  }

  async #waitOrFail(method: string): Promise<void> {
    const until = this.#until.get(method);
    if (until === undefined) return;
    const wait = until - this.now();
    if (wait <= 0) {
      this.#until.delete(method);
      return;
    }
    // Slack asked not to call before then: a long wait fails without sending.
    if (wait > this.maxWaitMs) throw new SlackRateLimitedError(method, until);
    await sleep(wait);
  }
}
