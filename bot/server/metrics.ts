/**
 * The bot's Prometheus metrics (GET /metrics). One registry per bot; the numbers come from hooks
 * that already see everything: the request log middleware (commands), Bolt's processEvent (acks),
 * the audit trail (rotations), the Gitpod client's logger (calls) and the Slack client's fetch
 * (errors, rate limits). Gauges are read at scrape time. The action and the CLI have no metrics.
 */
import type { webApi } from "@slack/bolt";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { GitpodCallRecord } from "../gitpod/calls.js";

const PREFIX = "gitpod_scm_bot_";

export interface ScrapeState {
  inFlightCommands(): number;
  runningRotations(): number;
  storeUp(): Promise<boolean>;
  gitpodTokenAccepted(): boolean;
  /** undefined in HTTP mode. */
  socketConnected(): boolean | undefined;
}

export class BotMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<"event" | "kind" | "outcome">;
  readonly #ack: Histogram<"event">;
  readonly #rotations: Counter<"action" | "outcome">;
  readonly #gitpodCalls: Counter<"rpc" | "code">;
  readonly #slackErrors: Counter<"method" | "error">;
  readonly #slackRateLimits: Counter<"method">;

  constructor(state: ScrapeState) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
    this.#requests = new Counter({
      name: `${PREFIX}requests_total`,
      help: "Requests from Slack by event (command, action, submission), what they ran as and how they ended",
      labelNames: ["event", "kind", "outcome"],
      registers,
    });
    this.#ack = new Histogram({
      name: `${PREFIX}ack_seconds`,
      help: "Time from a verified request reaching the bot to its acknowledgement (Slack gives up after 3 s)",
      labelNames: ["event"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
      registers,
    });
    this.#rotations = new Counter({
      name: `${PREFIX}rotations_total`,
      help: "Rotations by action (rotate, rotate-token, rotate-llm-key) and audited outcome (rotated, failed, unknown, ...)",
      labelNames: ["action", "outcome"],
      registers,
    });
    this.#gitpodCalls = new Counter({
      name: `${PREFIX}gitpod_calls_total`,
      help: "Gitpod API call attempts by RPC and Connect code (ok for success)",
      labelNames: ["rpc", "code"],
      registers,
    });
    this.#slackErrors = new Counter({
      name: `${PREFIX}slack_api_errors_total`,
      help: "Slack Web API calls that failed, by method and error (the API's error code, or http_<status>, or network)",
      labelNames: ["method", "error"],
      registers,
    });
    this.#slackRateLimits = new Counter({
      name: `${PREFIX}slack_rate_limited_total`,
      help: "Slack Web API answers of 429 (rate limited), by method",
      labelNames: ["method"],
      registers,
    });
    new Gauge({
      name: `${PREFIX}commands_in_flight`,
      help: "Slash commands whose follow-up work is running",
      registers,
      collect() {
        this.set(state.inFlightCommands());
      },
    });
    new Gauge({
      name: `${PREFIX}rotations_running`,
      help: "Rotations running in this process",
      registers,
      collect() {
        this.set(state.runningRotations());
      },
    });
    new Gauge({
      name: `${PREFIX}store_up`,
      help: "1 when the state store (SQLite or PostgreSQL) answers a ping within 2 s",
      registers,
      async collect() {
        this.set((await state.storeUp()) ? 1 : 0);
      },
    });
    new Gauge({
      name: `${PREFIX}gitpod_token_accepted`,
      help: "1 once a Gitpod API call with the bot's token succeeded; 0 before that and after a 401/403",
      registers,
      collect() {
        this.set(state.gitpodTokenAccepted() ? 1 : 0);
      },
    });
    if (state.socketConnected() !== undefined) {
      new Gauge({
        name: `${PREFIX}socket_mode_connected`,
        help: "1 while the Socket Mode connection to Slack is up",
        registers,
        collect() {
          this.set(state.socketConnected() ? 1 : 0);
        },
      });
    }
  }

  request(event: string, kind: string, outcome: string): void {
    this.#requests.inc({ event, kind, outcome });
  }

  acked(event: string, seconds: number): void {
    this.#ack.observe({ event }, seconds);
  }

  audited(action: string, outcome: string): void {
    // The write-ahead "started" record is not an outcome.
    if (action.startsWith("rotate") && outcome !== "started") this.#rotations.inc({ action, outcome });
  }

  gitpodCall(call: GitpodCallRecord): void {
    this.#gitpodCalls.inc({ rpc: call.rpc, code: call.code });
  }

  slackCall(method: string, result: { error?: string; rateLimited?: boolean }): void {
    if (result.rateLimited) this.#slackRateLimits.inc({ method });
    if (result.error) this.#slackErrors.inc({ method, error: result.error });
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** Slack Web API method names look like "chat.postMessage"; anything else is one label value. */
function methodOf(url: string): string {
  const last = url.split("?")[0]?.split("/").pop() ?? "";
  return /^[a-zA-Z]+(\.[a-zA-Z]+)+$/.test(last) ? last : "other";
}

/**
 * A fetch for the Slack Web client that reports every call's failure (ok: false, HTTP errors,
 * 429s, network errors) to `report` and otherwise behaves as `inner`.
 */
type SlackFetch = webApi.FetchFunction;

export function observedFetch(
  inner: SlackFetch,
  report: (method: string, result: { error?: string; rateLimited?: boolean }) => void,
): SlackFetch {
  return async (input, init) => {
    const method = methodOf(String(input));
    let response: Awaited<ReturnType<SlackFetch>>;
    try {
      response = await inner(input, init);
    } catch (error) {
      report(method, { error: "network" });
      throw error;
    }
    if (response.status === 429) {
      report(method, { rateLimited: true, error: "ratelimited" });
      return response;
    }
    if (response.status !== 200) {
      report(method, { error: `http_${response.status}` });
      return response;
    }
    // Slack answers 200 with {"ok": false, "error": "..."}: read the body once, and hand the client
    // a response that serves the same text.
    const text = await response.text();
    const error = slackErrorOf(text);
    if (error) report(method, { error });
    return {
      ok: response.ok,
      status: response.status,
      statusText: response.statusText,
      url: response.url,
      headers: response.headers,
      text: async () => text,
      json: async () => JSON.parse(text) as unknown,
      arrayBuffer: async () => new TextEncoder().encode(text).buffer as ArrayBuffer,
    };
  };
}

/** The `error` of an `{"ok": false}` answer, as a bounded label value; undefined for anything else. */
function slackErrorOf(text: string): string | undefined {
  let answer: { ok?: unknown; error?: unknown };
  try {
    answer = JSON.parse(text) as { ok?: unknown; error?: unknown };
  } catch {
    return undefined;
  }
  if (answer?.ok !== false) return undefined;
  return typeof answer.error === "string" && /^[a-z_]{1,64}$/.test(answer.error) ? answer.error : "other";
}
