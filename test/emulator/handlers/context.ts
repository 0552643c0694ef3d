/**
 * What every RPC handler receives, and lookups that answer with the Connect error a missing or
 * unknown id deserves. Handlers are synchronous, so each RPC applies atomically.
 */
import type { z } from "zod";
import type { RPCS, RpcName } from "../../../shared/api/schemas.js";
import { invalidArgument, notFound } from "../connect-errors.js";
import type { EmulatorState, StoredRunner } from "../store.js";

export interface RpcContext {
  state: EmulatorState;
  /** Query parameters of the request (the official SDK sends List page parameters there). */
  query: Readonly<Record<string, string>>;
}

export type RpcRequestOf<N extends RpcName> = z.output<(typeof RPCS)[N]["request"]>;

/** Returns the response message (plain JSON; zero values are dropped by the wire layer). */
export type RpcHandler<N extends RpcName> = (request: RpcRequestOf<N>, context: RpcContext) => unknown;

export function requireId(value: string | undefined, field: string): string {
  if (!value) throw invalidArgument(`${field}: value is required`);
  return value;
}

export function lookupRunner(
  state: EmulatorState,
  runnerId: string | undefined,
  field = "runnerId",
): StoredRunner {
  const id = requireId(runnerId, field);
  const runner = state.runners.get(id);
  if (!runner) throw notFound(`runner ${id} not found`);
  return runner;
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
