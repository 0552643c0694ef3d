/**
 * A local, in-memory stand-in for gitpod.v1.RunnerConfigurationService (the 16 RPCs), speaking the
 * Connect protocol with JSON over node:http. Tests, benchmarks and the demo run against it.
 *
 *   const emu = await startEmulator();               // port 0: a free port
 *   new GitpodClient({ baseUrl: emu.url, apiKey: emu.token });
 *   await emu.close();
 */
import { randomUUID } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type FaultRule, Faults } from "./faults.js";
import type { OAuthApp, RunnerFixture } from "./fixtures.js";
import { RequestLog } from "./request-log.js";
import { createRequestListener } from "./server.js";
import { EmulatorState } from "./store.js";

export interface EmulatorFixtures {
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
}

export interface Emulator {
  /** Base URL to give a client, e.g. http://127.0.0.1:41234 (RPCs are also served under any prefix). */
  url: string;
  port: number;
  token: string;
  state: EmulatorState;
  requests: RequestLog;
  faults: Faults;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const token = options.token ?? `emu_${randomUUID().replaceAll("-", "")}`;
  const fixtures = options.fixtures ?? {};
  const state = new EmulatorState({
    ...(fixtures.runners && { runners: fixtures.runners }),
    ...(fixtures.oauthApps && { oauthApps: fixtures.oauthApps }),
  });
  const requests = new RequestLog();
  const faults = new Faults(options.faults ?? [], options.seed ?? 1);
  const hanging = new Set<ServerResponse>();
  const server = createServer(
    { keepAliveTimeout: 10_000 },
    createRequestListener({
      state,
      log: requests,
      faults,
      tokens: new Set([token, ...(fixtures.extraTokens ?? [])]),
      readOnlyTokens: new Set(fixtures.readOnlyTokens ?? []),
      latencyMs: options.latencyMs ?? 0,
      hanging,
    }),
  );
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
    close,
  };
}

export type { FaultKind, FaultRule, FaultStatus } from "./faults.js";
export { Faults } from "./faults.js";
export * from "./fixtures.js";
export type { RequestLogEntry } from "./request-log.js";
export { RequestLog } from "./request-log.js";
export type {
  SeedEnvironmentClass,
  SeedHostToken,
  SeedScmIntegration,
  StoredEnvironmentClass,
  StoredHostToken,
  StoredOAuthConfig,
  StoredRunner,
  StoredScmIntegration,
} from "./store.js";
export { EmulatorState } from "./store.js";
