/**
 * A local, in-memory stand-in for gitpod.v1.RunnerConfigurationService (the 21 RPCs), speaking the
 * Connect protocol with JSON over node:http. Tests, benchmarks and the demo run against it.
 *
 *   const emu = await startEmulator();               // port 0: a free port
 *   new GitpodClient({ baseUrl: emu.url, apiKey: emu.token });
 *   await emu.close();
 */
import { randomUUID } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type FaultRule, Faults } from "./faults.js";
import type { OAuthApp, RunnerFixture } from "./fixtures.js";
import { DEFAULT_HANDLER_OPTIONS, type HandlerOptions } from "./handlers/context.js";
import { RateLimiter, type RateLimitOptions } from "./rate-limit.js";
import { RequestLog } from "./request-log.js";
import { createRequestListener } from "./server.js";
import { EmulatorState, type StateRules } from "./store.js";

interface EmulatorFixtures {
  /** Runners with their configuration schemas; default: aws-eu and aws-us with the default schema. */
  runners?: RunnerFixture[];
  /** OAuth apps the SCM hosts know (checked by ValidateRunnerConfiguration). */
  oauthApps?: OAuthApp[];
  /** Tokens that may read but get permission_denied on Create/Update/Delete. */
  readOnlyTokens?: string[];
  /** More tokens accepted with full access, besides `token`. */
  extraTokens?: string[];
}

export interface EmulatorOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The bearer token to accept; default a random one. */
  token?: string;
  /** Fixed delay added to every request (in parallel, not serialised). */
  latencyMs?: number;
  faults?: FaultRule[];
  /** Seed of the generator behind `rate` fault rules; default 1. */
  seed?: number;
  fixtures?: EmulatorFixtures;

  // What the real service plausibly does and the emulator does not by default (docs/emulator.md).
  /** A create shows up in List only this many ms later (eventual consistency); Get sees it at once. */
  listLagMs?: number;
  /** Extra delay of ValidateRunnerConfiguration, which goes through the runner. */
  validateLatencyMs?: number;
  /** Page tokens older than this many seconds are invalid_argument. */
  pageTokenTtlSeconds?: number;
  /** Per-token rate limit: 429 resource_exhausted with Retry-After above it. */
  rateLimit?: RateLimitOptions;
  /** The code a validation of an offline runner gets; default failed_precondition. */
  offlineRunnerCode?: HandlerOptions["offlineRunnerCode"];

  // Assumptions where the spec is silent, each switchable so the product can be tested both ways.
  /** Default true: a second SCM integration for the same (runner, host) is already_exists. */
  uniqueScmHostPerRunner?: boolean;
  /** Default true: hosts compare case-insensitively. */
  caseInsensitiveHosts?: boolean;
  /** Default true: a second host token for the same (runner, host, subject) is already_exists. */
  uniqueHostTokenPerSubject?: boolean;
  /** Default true: issuerUrl without an OAuth client id is invalid_argument. */
  refuseIssuerUrlWithoutOAuth?: boolean;
  /** Default true: a host with a scheme or path is invalid_argument. */
  refuseSchemeInHost?: boolean;
}

export interface Emulator {
  /** Base URL to give a client, e.g. http://127.0.0.1:41234 (RPCs are also served under any prefix). */
  url: string;
  port: number;
  token: string;
  state: EmulatorState;
  requests: RequestLog;
  faults: Faults;
  /** Stops accepting a full-access token (as when it is revoked): its calls answer 401 unauthenticated. */
  revokeToken(token: string): void;
  /** Accepts a token with full access (again, or a new one). */
  acceptToken(token: string): void;
  /**
   * True when no client is connected and no request is being answered: once a client process has
   * exited, everything it sent has then been answered (or hung up on) and logged.
   */
  idle(): boolean;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const token = options.token ?? `emu_${randomUUID().replaceAll("-", "")}`;
  const fixtures = options.fixtures ?? {};
  const rules: Partial<StateRules> = {
    ...(options.uniqueScmHostPerRunner !== undefined && {
      uniqueScmHostPerRunner: options.uniqueScmHostPerRunner,
    }),
    ...(options.caseInsensitiveHosts !== undefined && { caseInsensitiveHosts: options.caseInsensitiveHosts }),
    ...(options.uniqueHostTokenPerSubject !== undefined && {
      uniqueHostTokenPerSubject: options.uniqueHostTokenPerSubject,
    }),
  };
  const state = new EmulatorState(
    {
      ...(fixtures.runners && { runners: fixtures.runners }),
      ...(fixtures.oauthApps && { oauthApps: fixtures.oauthApps }),
    },
    rules,
  );
  state.listLagMs = options.listLagMs ?? 0;
  const handlerOptions: HandlerOptions = {
    refuseIssuerUrlWithoutOAuth:
      options.refuseIssuerUrlWithoutOAuth ?? DEFAULT_HANDLER_OPTIONS.refuseIssuerUrlWithoutOAuth,
    refuseSchemeInHost: options.refuseSchemeInHost ?? DEFAULT_HANDLER_OPTIONS.refuseSchemeInHost,
    pageTokenTtlSeconds: options.pageTokenTtlSeconds ?? DEFAULT_HANDLER_OPTIONS.pageTokenTtlSeconds,
    offlineRunnerCode: options.offlineRunnerCode ?? DEFAULT_HANDLER_OPTIONS.offlineRunnerCode,
  };
  const requests = new RequestLog();
  const tokens = new Set([token, ...(fixtures.extraTokens ?? [])]);
  const faults = new Faults(options.faults ?? [], options.seed ?? 1);
  const hanging = new Set<ServerResponse>();
  const server = createServer(
    { keepAliveTimeout: 10_000 },
    createRequestListener({
      state,
      log: requests,
      faults,
      tokens,
      readOnlyTokens: new Set(fixtures.readOnlyTokens ?? []),
      latencyMs: options.latencyMs ?? 0,
      hanging,
      handlerOptions,
      validateLatencyMs: options.validateLatencyMs ?? 0,
      rateLimiter: options.rateLimit ? new RateLimiter(options.rateLimit) : undefined,
    }),
  );
  const connections = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    connections.add(socket);
    socket.once("close", () => connections.delete(socket));
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: options.port ?? 0, host, backlog: 1024 }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
    });
    return closing;
  };

  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    token,
    state,
    requests,
    faults,
    revokeToken: (value) => {
      tokens.delete(value);
    },
    acceptToken: (value) => {
      tokens.add(value);
    },
    idle: () => connections.size === 0 && requests.answering === 0,
    close,
  };
}

export type { FaultRule, FaultStatus } from "./faults.js";

export * from "./fixtures.js";
export type { RequestLogEntry } from "./request-log.js";
export type {
  SeedScmIntegration,
  StoredScmIntegration,
} from "./store.js";
export { EmulatorState } from "./store.js";
