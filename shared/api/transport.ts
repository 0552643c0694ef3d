/**
 * The one place that talks HTTP: connection pooling and proxies, per-attempt timeouts, cancellation,
 * retries with backoff, Connect error decoding and response validation. Resources call `call()`.
 */
import type { Dispatcher } from "undici";
import {
  API_KEY_VARIABLES,
  apiKeyFromEnvironment,
  baseUrlFromEnvironment,
  DEFAULT_BASE_URL,
  eitherName,
} from "./api-settings.js";
import { backoffDelay, parseRetryAfter, sleep } from "./backoff.js";
import {
  decodeErrorResponse,
  describeIssues,
  describeNetworkError,
  isDefiniteRefusal,
  NOT_JSON,
  OUTCOME_UNKNOWN_ADVICE,
  parseJson,
} from "./decode.js";
import { createDispatcher, proxySecrets, withoutCredentials } from "./dispatcher.js";
import { GitpodApiError } from "./errors.js";
import { scrubDecoded, secretValuesOf } from "./redact.js";
import { redirectRefused } from "./redirect.js";
import { RPCS, type RpcName, type RpcResponse, SERVICE } from "./rpcs.js";

export { DEFAULT_BASE_URL } from "./api-settings.js";
export { createDispatcher, proxySettingsOf } from "./dispatcher.js";
export const USER_AGENT = "gitpod-runner-config/0.1.0 (node; undici)";
/** Far above any real answer of this API (a full page of 100 objects is tens of kilobytes). */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export interface Logger {
  /** One line per attempt. `fields` never hold bodies or secrets. */
  debug(message: string, fields?: Record<string, unknown>): void;
}

/**
 * How the person running the client names where the token and the address are set, for errors they
 * can fix by changing one (a rejected token, a redirect): `ONA_API_KEY`, `the api-token input`.
 */
export interface SettingNames {
  apiKey?: string;
  baseUrl?: string;
}

export interface TransportOptions {
  /** Default: env ONA_BASE_URL, else GITPOD_BASE_URL, else https://app.ona.com/api. */
  baseUrl?: string;
  /** Bearer token. Default: env ONA_API_KEY, else GITPOD_API_KEY. */
  apiKey?: string;
  /**
   * Where the caller took `apiKey` and `baseUrl` from, named in errors; default: the variable read
   * (`ONA_API_KEY`, `GITPOD_BASE_URL`, ...), else the option's name.
   */
  settingNames?: SettingNames;
  /** Per attempt, in milliseconds. Default 30 000. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 4. */
  maxRetries?: number;
  /** Backoff: a random delay up to min(max, base * 2^attempt). Defaults 200 and 10 000 ms. */
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Keep-alive connections per origin. Default 16. */
  connections?: number;
  logger?: Logger;
  /** Environment to read defaults and proxy settings from. Default: process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Replaces the pooled dispatcher (custom TLS, tests); the caller then owns closing it. */
  dispatcher?: Dispatcher;
  /** A larger answer fails the call (not retried). Default 4 MiB. */
  maxResponseBytes?: number;
  /** Secrets the caller holds beyond those in request bodies: scrubbed from every answer too. */
  secrets?: Iterable<string>;
}

export interface CallOptions {
  /** Aborts the call (any attempt or backoff in progress) with code `canceled`. */
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout for this call. */
  timeoutMs?: number;
  /**
   * Retry only attempts the server certainly did not run: an attempt whose answer was lost (reset,
   * timeout, a 5xx that may come after the write) ends the call. For writes whose caller reports
   * "unknown" rather than sending again blind (a rotated LLM key).
   */
  neverRetryBlind?: boolean;
}

/** `{ signal }` when the caller has one, `{}` when not (an absent signal is left out, not set to undefined). */
export function signalOption(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}

type Attempt =
  | { ok: true; value: unknown }
  | {
      ok: false;
      error: GitpodApiError;
      /** The request may have been carried out even though the answer is an error (or missing). */
      mayHaveRun: boolean;
      retryAfterMs?: number;
    };

export class Transport {
  readonly baseUrl: string;
  readonly #apiKey: string;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #backoff: { baseDelayMs: number; maxDelayMs: number };
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #logger: Logger | undefined;
  readonly #maxResponseBytes: number;
  readonly #settingNames: Required<SettingNames>;
  /** Every secret this client has held (token, request-body secrets, the caller's): none may come back out. */
  readonly #runSecrets = new Set<string>();
  #closed = false;

  constructor(options: TransportOptions = {}) {
    const env = options.env ?? process.env;
    // Read from the environment only when not given, so a caller's own resolution is not second-guessed.
    const keyFromEnv = options.apiKey === undefined ? apiKeyFromEnvironment(env) : undefined;
    const urlFromEnv = options.baseUrl ? undefined : baseUrlFromEnvironment(env);
    for (const warning of [keyFromEnv?.warning, urlFromEnv?.warning])
      if (warning) process.emitWarning(warning, { code: "GITPOD_RUNNER_CONFIG_SETTINGS" });
    const apiKey = options.apiKey ?? keyFromEnv?.found?.value;
    if (!apiKey) {
      throw new Error(
        `No Gitpod API token: pass apiKey or set the ${eitherName(API_KEY_VARIABLES)} environment variable.`,
      );
    }
    this.#apiKey = apiKey;
    this.#settingNames = {
      apiKey: options.settingNames?.apiKey ?? keyFromEnv?.found?.variable ?? "the apiKey option",
      baseUrl:
        options.settingNames?.baseUrl ??
        urlFromEnv?.found?.variable ??
        (options.baseUrl ? "the baseUrl option" : "ONA_BASE_URL"),
    };
    this.#runSecrets.add(apiKey);
    this.addSecrets(options.secrets ?? []);
    // A proxy may echo its credentials (or the proxy URL) in an error page.
    this.addSecrets(proxySecrets(env));
    this.baseUrl = (options.baseUrl || urlFromEnv?.found?.value || DEFAULT_BASE_URL).replace(/\/+$/, "");
    const parsed = URL.canParse(this.baseUrl) ? new URL(this.baseUrl) : undefined;
    if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
      throw new Error(
        `Invalid Gitpod API base URL "${withoutCredentials(this.baseUrl)}" (${this.#settingNames.baseUrl}): expected an http(s) URL.`,
      );
    }
    this.#timeoutMs = positive("timeoutMs", options.timeoutMs, 30_000);
    this.#maxRetries = nonNegative("maxRetries", options.maxRetries, 4);
    this.#backoff = {
      baseDelayMs: nonNegative("retryBaseDelayMs", options.retryBaseDelayMs, 200),
      maxDelayMs: nonNegative("retryMaxDelayMs", options.retryMaxDelayMs, 10_000),
    };
    this.#logger = options.logger;
    this.#maxResponseBytes = positive(
      "maxResponseBytes",
      options.maxResponseBytes,
      DEFAULT_MAX_RESPONSE_BYTES,
    );
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher =
      options.dispatcher ?? createDispatcher(env, positive("connections", options.connections, 16));
  }

  /** Registers more secret values to scrub from every answer and error of later calls. */
  addSecrets(values: Iterable<string>): void {
    for (const value of values) if (value) this.#runSecrets.add(value);
  }

  /** Closes the pool (waiting for calls in flight); later calls fail with failed_precondition. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  /** Calls one RPC: validates the request, retries what may be retried, validates the response. */
  async call<N extends RpcName>(rpc: N, body: unknown, options: CallOptions = {}): Promise<RpcResponse<N>> {
    const spec = RPCS[rpc];
    this.addSecrets(secretValuesOf(body));
    const secrets = this.#runSecrets;
    if (this.#closed) {
      throw new GitpodApiError({ code: "failed_precondition", rpc, message: "the client is closed" });
    }
    const request = spec.request.safeParse(body);
    if (!request.success) {
      throw new GitpodApiError({
        code: "invalid_argument",
        rpc,
        message: describeIssues(request.error, "request field"),
      });
    }
    const payload = JSON.stringify(request.data);
    let earlierMayHaveRun = false;
    for (let attempt = 0; ; attempt++) {
      if (options.signal?.aborted) throw canceled(rpc, false);
      const started = performance.now();
      const result = await this.#attempt(rpc, payload, spec.creates, secrets, options);
      const durationMs = Math.round(performance.now() - started);
      if (result.ok) {
        this.#logger?.debug("gitpod api call", { rpc, attempt, status: 200, durationMs });
        return parseResponse(rpc, result.value);
      }
      const { error } = result;
      if (earlierMayHaveRun && error.code === "not_found" && rpc.startsWith("Delete")) {
        // An earlier attempt whose answer was lost already deleted it: the caller's goal is met.
        this.#logger?.debug("gitpod api delete already done", {
          rpc,
          attempt,
          status: error.status,
          durationMs,
        });
        return parseResponse(rpc, {});
      }
      earlierMayHaveRun ||= result.mayHaveRun;
      const canRetry =
        error.retryable &&
        !error.outcomeUnknown &&
        !(options.neverRetryBlind && result.mayHaveRun) &&
        attempt < this.#maxRetries;
      const delayMs = canRetry ? backoffDelay(this.#backoff, attempt, result.retryAfterMs) : undefined;
      this.#logger?.debug("gitpod api call failed", {
        rpc,
        attempt,
        status: error.status,
        code: error.code,
        durationMs,
        retryInMs: delayMs,
      });
      if (delayMs === undefined) throw error;
      await sleep(delayMs, options.signal);
    }
  }

  async #attempt(
    rpc: RpcName,
    payload: string,
    creates: boolean,
    secrets: Set<string>,
    options: CallOptions,
  ): Promise<Attempt> {
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const url = new URL(`${this.baseUrl}/${SERVICE}/${rpc}`);
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
      const text = await readCapped(response, this.#maxResponseBytes);
      if (text === undefined) {
        // Not retried: the same server would send the same flood again.
        return {
          ok: false,
          mayHaveRun: true,
          error: new GitpodApiError({
            code: "resource_exhausted",
            rpc,
            status: response.statusCode,
            message: `the answer is larger than ${this.#maxResponseBytes} bytes (the client's limit); not retried${creates ? `; ${OUTCOME_UNKNOWN_ADVICE}` : ""}`,
            retryable: false,
            outcomeUnknown: creates,
          }),
        };
      }
      // Every string of the answer is scrubbed after decoding, so escapes cannot smuggle a secret out.
      if (response.statusCode === 200)
        return { ok: true, value: scrubDecoded(text, parseJson(text), secrets) };
      if (response.statusCode >= 300 && response.statusCode < 400) {
        // Never followed (undici follows none unless told to): the token must not leave for another origin.
        return {
          ok: false,
          mayHaveRun: false,
          error: redirectRefused({
            rpc,
            status: response.statusCode,
            location: response.headers.location,
            requestUrl: url,
            baseUrlSetting: this.#settingNames.baseUrl,
            secrets,
          }),
        };
      }
      const retryAfterMs = parseRetryAfter(response.headers["retry-after"]);
      const error = decodeErrorResponse({
        rpc,
        status: response.statusCode,
        text,
        secrets,
        creates,
        unauthenticatedAdvice: `check ${this.#settingNames.apiKey}`,
      });
      return {
        ok: false,
        error,
        mayHaveRun: error.outcomeUnknown || (error.retryable && !isDefiniteRefusal(error.status)),
        ...(retryAfterMs !== undefined && { retryAfterMs }),
      };
    } catch (thrown) {
      // A create the caller gave up on may already have been carried out.
      if (options.signal?.aborted) return { ok: false, error: canceled(rpc, creates), mayHaveRun: true };
      const network = describeNetworkError(thrown, secrets);
      const timedOut = timeout.aborted;
      // Only a connection that was never made proves the request did not arrive.
      const mayHaveRun = timedOut || !network.beforeSend;
      const outcomeUnknown = creates && mayHaveRun;
      const what = timedOut ? `no answer within ${timeoutMs} ms` : `network error: ${network.message}`;
      return {
        ok: false,
        mayHaveRun,
        error: new GitpodApiError({
          code: timedOut ? "deadline_exceeded" : "unavailable",
          rpc,
          message: outcomeUnknown ? `${what}; ${OUTCOME_UNKNOWN_ADVICE}` : what,
          retryable: true,
          outcomeUnknown,
          cause: network.cause,
        }),
      };
    }
  }
}

/**
 * The body as text, or undefined when it is larger than `limit` bytes: a declared length over the
 * limit is refused before reading, and reading stops (and drops the connection) once past it.
 */
async function readCapped(response: Dispatcher.ResponseData, limit: number): Promise<string | undefined> {
  const declared = Number(response.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    response.body.destroy();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      response.body.destroy();
      return undefined;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size).toString("utf8");
}

/** Validates a 200 body against the RPC's response schema (lenient: unknown fields and enums pass). */
function parseResponse<N extends RpcName>(rpc: N, value: unknown): RpcResponse<N> {
  const schema = RPCS[rpc].response;
  if (value === NOT_JSON) {
    throw new GitpodApiError({ code: "internal", rpc, status: 200, message: "the response is not JSON" });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new GitpodApiError({
      code: "internal",
      rpc,
      status: 200,
      message: describeIssues(parsed.error, "response field"),
    });
  }
  return parsed.data as RpcResponse<N>;
}

function canceled(rpc: string, outcomeUnknown: boolean): GitpodApiError {
  return new GitpodApiError({
    code: "canceled",
    rpc,
    message: outcomeUnknown ? `the call was canceled; ${OUTCOME_UNKNOWN_ADVICE}` : "the call was canceled",
    outcomeUnknown,
  });
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(Number.isFinite(value) && value > 0)) throw new Error(`GitpodClient option ${name}: must be > 0`);
  return value;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(Number.isFinite(value) && value >= 0)) throw new Error(`GitpodClient option ${name}: must be >= 0`);
  return value;
}
