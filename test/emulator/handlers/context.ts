/**
 * What every RPC handler receives, and lookups that answer with the Connect error a missing or
 * unknown id deserves. Handlers are synchronous, so each RPC applies atomically.
 */
import { ConnectError, invalidArgument, notFound } from "../connect-errors.js";
import type { Requests, RpcName } from "../messages.js";
import type { EmulatorState, StoredRunner } from "../store.js";

export interface RpcContext {
  state: EmulatorState;
  /** Query parameters of the request (the official SDK sends List page parameters there). */
  query: Readonly<Record<string, string>>;
  /** Rules that are options of the emulator (see docs/emulator.md). */
  options: HandlerOptions;
}

export interface HandlerOptions {
  /** Assumption: issuerUrl without an OAuth client id is refused. Default true. */
  refuseIssuerUrlWithoutOAuth: boolean;
  /** Assumption: a host with a scheme or path (https://github.com) is refused. Default true. */
  refuseSchemeInHost: boolean;
  /** Page tokens older than this are invalid_argument; 0 = they never expire. */
  pageTokenTtlSeconds: number;
  /** The code a call that needs an offline runner gets (see docs/emulator.md). */
  offlineRunnerCode: "failed_precondition" | "unavailable";
}

export const DEFAULT_HANDLER_OPTIONS: HandlerOptions = {
  refuseIssuerUrlWithoutOAuth: true,
  refuseSchemeInHost: true,
  pageTokenTtlSeconds: 0,
  offlineRunnerCode: "failed_precondition",
};

type RpcRequestOf<N extends RpcName> = Requests[N];

/** Returns the response message (plain JSON; zero values are dropped by the wire layer). */
export type RpcHandler<N extends RpcName> = (request: RpcRequestOf<N>, context: RpcContext) => unknown;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** protovalidate's required rule: an unset (empty) id is invalid_argument naming the proto field. */
export function requireId(value: string | undefined, field: string): string {
  if (!value) throw invalidArgument(`${field}: value is required`);
  return value;
}

/** Fields the spec marks `format: uuid`. */
export function requireUuid(value: string | undefined, field: string): string {
  const id = requireId(value, field);
  if (!UUID.test(id)) throw invalidArgument(`${field}: value must be a valid UUID`);
  return id;
}

export function lookupRunner(
  state: EmulatorState,
  runnerId: string | undefined,
  field = "runner_id",
): StoredRunner {
  const id = requireId(runnerId, field);
  const runner = state.runners.get(id);
  if (!runner) throw notFound(`runner ${id} not found`);
  return runner;
}

/** Calls that the service forwards to the runner fail while it is offline. */
export function requireOnline(runner: StoredRunner, context: RpcContext): void {
  if (!runner.online) {
    throw new ConnectError(context.options.offlineRunnerCode, `runner ${runner.id} is offline`);
  }
}

export function lookup<T>(
  map: ReadonlyMap<string, T>,
  id: string | undefined,
  field: string,
  what: string,
): T {
  const key = requireId(id, field);
  const found = map.get(key);
  if (!found) throw notFound(`${what} ${key} not found`);
  return found;
}
