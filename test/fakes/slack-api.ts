/**
 * A recording fake of the Slack Web API and of response_url endpoints, on 127.0.0.1. Point the
 * bot's SLACK_API_URL (Bolt's clientOptions.slackApiUrl) at `fake.apiUrl` and give slash commands a
 * `fake.responseUrl()`. Every call is recorded with its decoded arguments.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedCall {
  /** A Web API method ("chat.postMessage") or "response_url". */
  method: string;
  args: Record<string, unknown>;
  /** The raw request body, to search for leaks. */
  raw: string;
  /** For response_url calls: the id in the URL. */
  responseUrlId?: string;
  /** The Authorization header, if any (Socket Mode's apps.connections.open sends the app token there). */
  authorization?: string;
  /** What the fake answered (e.g. the id views.open gave the modal). */
  result?: Record<string, unknown>;
  /** The token the call was made with (Authorization: Bearer, or a `token` argument). */
  token?: string;
  at: number;
}

type MethodHandler = (
  args: Record<string, unknown>,
  call: RecordedCall,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

export interface FakeSlackOptions {
  /** User group id → member user ids, for usergroups.users.list. */
  usergroups?: Record<string, string[]>;
  /** Users that users.info reports as guests (multi-channel: is_restricted). */
  guests?: string[];
}

export interface FakeSlack {
  /** Base URL for the Web API, ending in "/" as the client wants. */
  apiUrl: string;
  /** A fresh response_url on this server. */
  responseUrl(id?: string): string;
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** Resolves with the first call (past or future) matching; rejects after timeoutMs. */
  waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /**
   * Replace a method's behaviour (e.g. make it fail). An answer with `httpStatus` (and
   * `httpHeaders`) is sent with that status and those headers instead of 200; `{ rateLimited: true }`
   * answers 429 with Retry-After 1.
   */
  on(method: string, handler: MethodHandler): void;
  usergroups: Map<string, string[]>;
  /** Everything the bot sent to Slack, as one string, to search for leaked secrets. */
  everything(): string;
  close(): Promise<void>;
}

function decodeValue(value: string): unknown {
  const trimmed = value.trim();
  if (
    (trimmed.startsWith("{") && trimmed.endsWith("}")) ||
    (trimmed.startsWith("[") && trimmed.endsWith("]"))
  ) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return value;
    }
  }
  return value;
}

function decodeBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes("application/json")) {
    try {
      const parsed: unknown = JSON.parse(raw);
      return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) args[key] = decodeValue(value);
  return args;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const calls: RecordedCall[] = [];
  const waiters: Array<{
    predicate: (call: RecordedCall) => boolean;
    resolve: (call: RecordedCall) => void;
  }> = [];
  const usergroups = new Map(Object.entries(options.usergroups ?? {}));
  const guests = new Set(options.guests ?? []);
  let views = 0;
  let messages = 0;
  let responseUrls = 0;

  const handlers = new Map<string, MethodHandler>();
  const defaults: Record<string, MethodHandler> = {
    "auth.test": () => ({ ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: "T0TEST", user: "gitpod-scm" }),
    "chat.postMessage": (args) => ({
      ok: true,
      channel: args.channel,
      ts: `1700000000.${String(++messages).padStart(6, "0")}`,
    }),
    "chat.postEphemeral": () => ({
      ok: true,
      message_ts: `1700000000.${String(++messages).padStart(6, "0")}`,
    }),
    "chat.update": (args) => ({ ok: true, channel: args.channel, ts: args.ts }),
    // A Workflow Builder step's end (Bolt's complete() / fail()).
    "functions.completeSuccess": () => ({ ok: true }),
    "functions.completeError": () => ({ ok: true }),
    // A bot's DM with a user: one channel per user, named after them ("D" + user id).
    "conversations.open": (args) => ({ ok: true, channel: { id: `D${String(args.users)}` } }),
    "views.open": (args) => ({
      ok: true,
      view: { ...(args.view as object), id: `V${String(++views).padStart(6, "0")}` },
    }),
    "views.update": (args) => ({ ok: true, view: { ...(args.view as object), id: args.view_id } }),
    "views.publish": (args) => ({
      ok: true,
      view: { ...(args.view as object), id: `VH${String(args.user_id)}` },
    }),
    // Every user exists; the configured guests are multi-channel guests.
    "users.info": (args) => {
      const guest = guests.has(String(args.user));
      return {
        ok: true,
        user: { id: args.user, is_restricted: guest, is_ultra_restricted: false, is_bot: false },
      };
    },
    "usergroups.users.list": (args) => {
      const members = usergroups.get(String(args.usergroup));
      return members ? { ok: true, users: members } : { ok: false, error: "no_such_subteam" };
    },
  };

  const record = (call: RecordedCall) => {
    calls.push(call);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(call)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(call);
      }
    }
  };

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const raw = await readBody(request);
    const url = new URL(request.url ?? "/", "http://fake");
    const args = decodeBody(raw, request.headers["content-type"]);
    const reply = (status: number, body: Record<string, unknown>) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    const responseMatch = /^\/response\/([^/]+)$/.exec(url.pathname);
    if (responseMatch) {
      const call: RecordedCall = {
        method: "response_url",
        args,
        raw,
        ...(responseMatch[1] === undefined ? {} : { responseUrlId: responseMatch[1] }),
        at: Date.now(),
      };
      const handler = handlers.get("response_url");
      record(call);
      const answer = handler ? await handler(args, call) : { ok: true };
      reply(typeof answer.status === "number" ? answer.status : 200, answer);
      return;
    }
    const apiMatch = /^\/api\/([a-zA-Z.]+)$/.exec(url.pathname);
    if (!apiMatch?.[1]) {
      reply(404, { ok: false, error: "not_found" });
      return;
    }
    const method = apiMatch[1];
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    const token = bearer ?? (typeof args.token === "string" ? args.token : undefined);
    const call: RecordedCall = {
      method,
      args,
      raw,
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
      ...(token ? { token } : {}),
      at: Date.now(),
    };
    const handler = handlers.get(method) ?? defaults[method];
    const answer = handler ? await handler(args, call) : { ok: false, error: "unknown_method" };
    // A handler may answer with another HTTP status and headers (e.g. 429 with Retry-After).
    const { httpStatus, httpHeaders, ...result } = answer;
    call.result = result;
    record(call);
    if (call.result.rateLimited === true) {
      // As Slack rate-limits: HTTP 429 with Retry-After in seconds.
      response.writeHead(429, { "content-type": "application/json", "retry-after": "1" });
      response.end(JSON.stringify({ ok: false, error: "ratelimited" }));
      return;
    }
    if (typeof httpStatus === "number") {
      response.writeHead(httpStatus, {
        "content-type": "application/json",
        ...(httpHeaders as Record<string, string> | undefined),
      });
      response.end(JSON.stringify(result));
      return;
    }
    reply(200, call.result);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${origin}/api/`,
    responseUrl: (id) => `${origin}/response/${id ?? `r${++responseUrls}`}`,
    calls,
    callsTo: (method) => calls.filter((call) => call.method === method),
    waitFor(predicate, timeoutMs = 5000) {
      const found = calls.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = { predicate, resolve };
        waiters.push(waiter);
        setTimeout(() => {
          const index = waiters.indexOf(waiter);
          if (index >= 0) {
            waiters.splice(index, 1);
            reject(
              new Error(
                `no matching Slack call within ${timeoutMs} ms; calls: ${calls.map((call) => call.method).join(", ")}`,
              ),
            );
          }
        }, timeoutMs).unref();
      });
    },
    on: (method, handler) => {
      handlers.set(method, handler);
    },
    usergroups,
    everything: () => calls.map((call) => `${call.raw}\n${JSON.stringify(call.args)}`).join("\n"),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
