/**
 * The one place that talks HTTP: connection pooling and proxies, per-attempt timeouts, cancellation,
 * retries with backoff, Connect error decoding and response validation. Resources call `call()`.
 */
import { Agent, type Dispatcher, EnvHttpProxyAgent } from "undici";
import type { z } from "zod";
import { codeFromHttpStatus, GitpodApiError, isRetryableCode } from "./errors.js";
import { redactFields, scrub, secretValuesOf } from "./redact.js";
import { RPCS, type RpcName, type RpcResponse, SERVICE } from "./schemas.js";

export const DEFAULT_BASE_URL = "https://app.gitpod.io/api";
const USER_AGENT = "gitpod-runner-config/0.1 (+undici)";

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
}

export interface TransportOptions {
  /** Default: env GITPOD_BASE_URL, else https://app.gitpod.io/api. */
  baseUrl?: string | undefined;
  /** Bearer token. Default: env GITPOD_API_KEY. */
  apiKey?: string | undefined;
  /** Per attempt. Default 30 s. */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt. Default 4. */
  maxRetries?: number | undefined;
  retryBaseDelayMs?: number | undefined;
  retryMaxDelayMs?: number | undefined;
  /** Keep-alive connections per origin. Default 16. */
  connections?: number | undefined;
  logger?: Logger | undefined;
  /** Environment to read defaults and proxy settings from. Default: process.env. */
  env?: Record<string, string | undefined> | undefined;
  /** Replaces the pooled dispatcher (tests, custom TLS). */
  dispatcher?: Dispatcher | undefined;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

/** Picks a proxy-aware dispatcher when HTTPS_PROXY/HTTP_PROXY is set (NO_PROXY honoured), else a pool. */
export function createDispatcher(env: Record<string, string | undefined>, connections: number): Dispatcher {
  const httpsProxy = env.HTTPS_PROXY ?? env.https_proxy;
  const httpProxy = env.HTTP_PROXY ?? env.http_proxy;
  if (httpsProxy || httpProxy) {
    return new EnvHttpProxyAgent({
      httpProxy,
      httpsProxy,
      noProxy: env.NO_PROXY ?? env.no_proxy ?? "",
      connections,
    });
  }
  return new Agent({ connections, keepAliveTimeout: 30_000 });
}

interface Attempt {
  ok: boolean;
  value?: unknown;
  error?: GitpodApiError;
  retryAfterMs?: number | undefined;
}

export class Transport {
  readonly baseUrl: string;
  readonly #apiKey: string;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #logger: Logger | undefined;

  constructor(options: TransportOptions = {}) {
    const env = options.env ?? process.env;
    const apiKey = options.apiKey ?? env.GITPOD_API_KEY;
    if (!apiKey) {
      throw new Error("No Gitpod API token: pass apiKey or set the GITPOD_API_KEY environment variable.");
    }
    this.#apiKey = apiKey;
    this.baseUrl = (options.baseUrl ?? env.GITPOD_BASE_URL ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
    const parsed = URL.canParse(this.baseUrl) ? new URL(this.baseUrl) : undefined;
    if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
      throw new Error(`Invalid Gitpod API base URL "${this.baseUrl}": expected an http(s) URL.`);
    }
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#maxRetries = options.maxRetries ?? 4;
    this.#baseDelayMs = options.retryBaseDelayMs ?? 200;
    this.#maxDelayMs = options.retryMaxDelayMs ?? 10_000;
    this.#logger = options.logger;
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher = options.dispatcher ?? createDispatcher(env, options.connections ?? 16);
  }

  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  /** Calls one RPC: validates the request, retries what may be retried, validates the response. */
  async call<N extends RpcName>(rpc: N, body: unknown, options: CallOptions = {}): Promise<RpcResponse<N>> {
    const spec = RPCS[rpc];
    const secrets = secretValuesOf(body);
    secrets.add(this.#apiKey);
    const request = spec.request.safeParse(body);
    if (!request.success) {
      throw new GitpodApiError({
        code: "invalid_argument",
        rpc,
        message: `invalid request: ${describeIssues(request.error)}`,
        retryable: false,
      });
    }
    const payload = JSON.stringify(request.data);
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      const result = await this.#attempt(rpc, payload, spec.creates, secrets, options);
      const durationMs = Math.round(performance.now() - started);
      if (result.ok) {
        this.#logger?.debug("gitpod api call", { rpc, attempt, status: 200, durationMs });
        return this.#parseResponse(rpc, spec.response, result.value);
      }
      const error = result.error as GitpodApiError;
      const canRetry = error.retryable && !error.outcomeUnknown && attempt < this.#maxRetries;
      const delayMs = canRetry ? this.#backoff(attempt, result.retryAfterMs) : 0;
      this.#logger?.debug("gitpod api call failed", {
        rpc,
        attempt,
        status: error.status,
        code: error.code,
        durationMs,
        retryInMs: canRetry ? delayMs : undefined,
      });
      if (!canRetry) throw error;
      await sleep(delayMs, options.signal);
      if (options.signal?.aborted) {
        throw new GitpodApiError({ code: "canceled", rpc, message: "the call was canceled" });
      }
    }
  }

  #backoff(attempt: number, retryAfterMs: number | undefined): number {
    const exponential = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** attempt);
    const jittered = Math.random() * exponential;
    // A server-sent Retry-After is a floor: retrying earlier would only be refused again.
    return Math.max(jittered, Math.min(retryAfterMs ?? 0, Math.max(this.#maxDelayMs, 60_000)));
  }

  async #attempt(
    rpc: RpcName,
    payload: string,
    creates: boolean,
    secrets: Set<string>,
    options: CallOptions,
  ): Promise<Attempt> {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.#timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const url = new URL(`${this.baseUrl}/${SERVICE}/${rpc}`);
    let sent = false;
    try {
      const response = await this.#dispatcher.request({
        origin: url.origin,
        path: url.pathname,
        method: "POST",
        headers: {
          authorization: `Bearer ${this.#apiKey}`,
          "content-type": "application/json",
          "connect-protocol-version": "1",
          "user-agent": USER_AGENT,
        },
        body: payload,
        signal,
      });
      sent = true;
      const text = await response.body.text();
      if (response.statusCode === 200) {
        return { ok: true, value: parseJson(text) };
      }
      return {
        ok: false,
        error: decodeErrorBody(rpc, response.statusCode, text, secrets),
        retryAfterMs: parseRetryAfter(response.headers["retry-after"]),
      };
    } catch (cause) {
      if (options.signal?.aborted) {
        return {
          ok: false,
          error: new GitpodApiError({ code: "canceled", rpc, message: "the call was canceled" }),
        };
      }
      const timedOut = timeout.aborted;
      const network = describeNetworkError(cause);
      // Refused connections never reached the server; anything else may have.
      const mayHaveArrived = sent || timedOut || !network.beforeSend;
      const outcomeUnknown = creates && mayHaveArrived;
      const what = timedOut
        ? `no answer within ${options.timeoutMs ?? this.#timeoutMs} ms`
        : `network error: ${scrub(network.message, secrets)}`;
      return {
        ok: false,
        error: new GitpodApiError({
          code: timedOut ? "deadline_exceeded" : "unavailable",
          rpc,
          message: outcomeUnknown
            ? `${what}; the create may or may not have happened, re-read before retrying`
            : what,
          retryable: true,
          outcomeUnknown,
        }),
      };
    }
  }

  #parseResponse<N extends RpcName>(rpc: N, schema: z.ZodType, value: unknown): RpcResponse<N> {
    const parsed = schema.safeParse(value ?? {});
    if (!parsed.success) {
      throw new GitpodApiError({
        code: "internal",
        rpc,
        message: `malformed response: ${describeIssues(parsed.error)}`,
        status: 200,
      });
    }
    return parsed.data as RpcResponse<N>;
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    return Symbol.for("not-json");
  }
}

/** `response field integrations[3].id: expected string, received number` */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.reduce<string>(
        (acc, part) =>
          typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part),
        "",
      );
      return `field ${path || "(root)"}: ${issue.message}`;
    })
    .join("; ");
}

function decodeErrorBody(rpc: string, status: number, text: string, secrets: Set<string>): GitpodApiError {
  let code = codeFromHttpStatus(status);
  let message = `HTTP ${status}`;
  let details: unknown[] | undefined;
  const body = parseJson(text);
  if (body !== null && typeof body === "object" && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    if (typeof record.code === "string") code = record.code;
    if (typeof record.message === "string") message = record.message;
    if (Array.isArray(record.details)) details = redactFields(record.details) as unknown[];
  } else if (text.trim() !== "") {
    message = text.trim().slice(0, 200);
  }
  const retryable = isRetryableCode(code) || status === 429 || status === 503;
  return new GitpodApiError({
    code,
    rpc,
    status,
    message: scrub(message, secrets),
    details,
    retryable,
  });
}

function parseRetryAfter(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function describeNetworkError(cause: unknown): { message: string; beforeSend: boolean } {
  const error = cause as { code?: unknown; message?: unknown } | undefined;
  const code = typeof error?.code === "string" ? error.code : "";
  const message = typeof error?.message === "string" ? error.message : String(cause);
  const beforeSend = code === "ECONNREFUSED" || code === "UND_ERR_CONNECT_TIMEOUT" || code === "ENOTFOUND";
  return { message: code ? `${code} ${message}` : message, beforeSend };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
