/**
 * The HTTP side: one request through protocol checks, latency, faults, authentication, decoding, the
 * handler and the answer, logging every request. Protocol failures answer as connect-go does:
 * unknown procedure 404, wrong method 405 (Allow: POST), wrong content type 415 (Accept-Post), each
 * with a Connect JSON body {"code":"unimplemented"} for clients that read it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { ConnectError, writeConnectError } from "./connect-errors.js";
import { type FaultRule, type Faults, faultStatus } from "./faults.js";
import type { HandlerOptions, RpcHandler } from "./handlers/context.js";
import { HANDLERS } from "./handlers/index.js";
import { REQUESTS, type RpcName } from "./messages.js";
import { notifyExchange } from "./observer.js";
import { decodeRequest, toProtoJson } from "./protojson.js";
import type { RateLimiter } from "./rate-limit.js";
import { isWriteRpc, type RequestLog, type RequestLogEntry } from "./request-log.js";
import { routeRequest } from "./routing.js";
import { checkServiceRules } from "./service-rules.js";
import type { EmulatorState } from "./store.js";

/** connect-go's default read limit is unbounded; 4 MiB is far above any real request here. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface ServerDeps {
  state: EmulatorState;
  log: RequestLog;
  faults: Faults;
  tokens: ReadonlySet<string>;
  readOnlyTokens: ReadonlySet<string>;
  /** Fixed delay before every request is answered; requests wait in parallel. */
  latencyMs: number;
  /** Requests answered by a "hang" fault: destroyed when the emulator closes. */
  hanging: Set<ServerResponse>;
  handlerOptions: HandlerOptions;
  /** Extra delay of ValidateRunnerConfiguration, which goes through the runner. */
  validateLatencyMs: number;
  rateLimiter: RateLimiter | undefined;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.removeAllListeners("data");
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseForLog(raw: string): unknown {
  try {
    return raw === "" ? undefined : JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function isJsonContentType(header: string | undefined): boolean {
  return (header ?? "").split(";")[0]?.trim().toLowerCase() === "application/json";
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}

function authorize(req: IncomingMessage, rpc: RpcName, deps: ServerDeps): void {
  const token = bearerToken(req.headers.authorization);
  if (token === undefined) throw new ConnectError("unauthenticated", "missing bearer token");
  if (deps.readOnlyTokens.has(token)) {
    if (isWriteRpc(rpc)) throw new ConnectError("permission_denied", `this token may not call ${rpc}`);
    return;
  }
  if (!deps.tokens.has(token)) throw new ConnectError("unauthenticated", "invalid bearer token");
}

function protocolError(
  req: IncomingMessage,
  rpc: RpcName | undefined,
  name: string,
): ConnectError | undefined {
  if (!rpc) return new ConnectError("unimplemented", `unknown procedure ${name}`, { status: 404 });
  if (req.method !== "POST") {
    return new ConnectError("unimplemented", `HTTP method ${req.method} is not supported; use POST`, {
      status: 405,
      headers: { allow: "POST" },
    });
  }
  if (!isJsonContentType(req.headers["content-type"])) {
    return new ConnectError("unimplemented", "unsupported content type; send application/json", {
      status: 415,
      headers: { "accept-post": "application/json" },
    });
  }
  return undefined;
}

type Outcome = { payload: string } | ConnectError;

function execute(
  rpc: RpcName,
  raw: string,
  req: IncomingMessage,
  query: Record<string, string>,
  deps: ServerDeps,
): Outcome {
  try {
    authorize(req, rpc, deps);
    const request = decodeRequest(REQUESTS[rpc], raw) as Parameters<RpcHandler<RpcName>>[0];
    checkServiceRules(rpc, request);
    const handler = HANDLERS[rpc] as RpcHandler<RpcName>;
    const response = handler(request, { state: deps.state, query, options: deps.handlerOptions });
    return { payload: JSON.stringify(toProtoJson(response)) };
  } catch (error) {
    if (error instanceof ConnectError) return error;
    return new ConnectError("internal", `internal error in ${rpc}`);
  }
}

export function createRequestListener(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const departed = deps.log.arrived();
    handle(req, res, deps)
      .catch(() => {
        if (!res.headersSent && !res.destroyed)
          writeConnectError(res, new ConnectError("internal", "internal error"));
      })
      .finally(departed);
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: ServerDeps): Promise<void> {
  const at = Date.now();
  const started = performance.now();
  const url = new URL(req.url ?? "/", "http://emulator");
  const query = Object.fromEntries(url.searchParams);
  const { rpc, name } = routeRequest(url.pathname);
  const record = (status: number, extra: Partial<RequestLogEntry> = {}, body?: unknown) =>
    deps.log.record({
      rpc: name,
      body,
      query,
      status,
      at,
      durationMs: performance.now() - started,
      ...extra,
    });

  let raw: string;
  try {
    raw = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      const tooLarge = new ConnectError(
        "resource_exhausted",
        `request body larger than ${MAX_BODY_BYTES} bytes`,
        {
          headers: { connection: "close" },
        },
      );
      writeConnectError(res, tooLarge);
      record(tooLarge.status, { code: tooLarge.code });
    }
    return;
  }
  const body = parseForLog(raw);
  const observe = (status: number, responseText: string, fault?: FaultRule) => {
    if (rpc === undefined) return;
    notifyExchange({
      rpc,
      requestText: raw,
      userAgent: req.headers["user-agent"],
      status,
      responseText,
      ...(fault && { fault: fault.kind }),
    });
  };
  const send = (outcome: Outcome, fault?: FaultRule) => {
    if (outcome instanceof ConnectError) {
      const text = writeConnectError(res, outcome);
      record(outcome.status, { code: outcome.code, ...(fault && { fault: fault.kind }) }, body);
      observe(outcome.status, text, fault);
    } else {
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(outcome.payload),
      });
      res.end(outcome.payload);
      record(200, fault && { fault: fault.kind }, body);
      observe(200, outcome.payload, fault);
    }
  };

  if (deps.latencyMs > 0) await sleep(deps.latencyMs);
  const refused = protocolError(req, rpc, name);
  if (refused || !rpc) {
    send(refused ?? new ConnectError("unimplemented", `unknown procedure ${name}`, { status: 404 }));
    return;
  }

  const waitSeconds = deps.rateLimiter?.take(bearerToken(req.headers.authorization) ?? "");
  if (waitSeconds !== undefined) {
    send(
      new ConnectError("resource_exhausted", "rate limit exceeded for this token", {
        headers: { "retry-after": String(waitSeconds) },
      }),
    );
    return;
  }
  if (rpc === "ValidateRunnerConfiguration" && deps.validateLatencyMs > 0)
    await sleep(deps.validateLatencyMs);

  const decision = deps.faults.decide(rpc);
  if (decision.delayBeforeMs > 0) await sleep(decision.delayBeforeMs);
  if (decision.action && !decision.action.after) {
    applyFault(decision.action, req, res, deps, send, record, body);
    return;
  }
  const outcome = execute(rpc, raw, req, query, deps);
  if (decision.delayAfterMs > 0) await sleep(decision.delayAfterMs);
  if (decision.action) {
    applyFault(decision.action, req, res, deps, send, record, body);
    return;
  }
  send(outcome);
}

function applyFault(
  rule: FaultRule,
  req: IncomingMessage,
  res: ServerResponse,
  deps: ServerDeps,
  send: (outcome: Outcome, fault?: FaultRule) => void,
  record: (status: number, extra?: Partial<RequestLogEntry>, body?: unknown) => void,
  body: unknown,
): void {
  if (rule.kind === "status") {
    const { status, code } = faultStatus(rule);
    const headers: Record<string, string> =
      rule.retryAfterSeconds === undefined ? {} : { "retry-after": String(rule.retryAfterSeconds) };
    send(new ConnectError(code, `emulated fault: ${code}`, { status, headers }), rule);
    return;
  }
  record(0, { fault: rule.kind }, body);
  if (rule.kind === "reset") {
    req.socket.resetAndDestroy();
    return;
  }
  // hang: keep the connection open and never answer
  deps.hanging.add(res);
  res.on("close", () => deps.hanging.delete(res));
}
