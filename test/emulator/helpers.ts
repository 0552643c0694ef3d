/** Test helpers: raw HTTP calls to an emulator with fetch (deliberately not through our client). */
import type { Emulator } from "./index.js";

export interface CallOptions {
  /** Bearer token; default the emulator's. `null` sends no Authorization header. */
  token?: string | null;
  /** Raw body text instead of JSON.stringify(body). */
  raw?: string;
  method?: string;
  contentType?: string;
  query?: Record<string, string>;
  /** Path prefix before /gitpod.v1...; default "/api". */
  prefix?: string;
  signal?: AbortSignal;
}

/** A response body as tests read it: arbitrary JSON, accessed by field. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response fields
export type Json = any;

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  json: Json;
}

export async function call(
  emu: Emulator,
  rpc: string,
  body: unknown = {},
  options: CallOptions = {},
): Promise<CallResult> {
  const url = new URL(`${emu.url}${options.prefix ?? "/api"}/gitpod.v1.RunnerConfigurationService/${rpc}`);
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
  const headers: Record<string, string> = { "content-type": options.contentType ?? "application/json" };
  const token = options.token === undefined ? emu.token : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const method = options.method ?? "POST";
  const response = await fetch(url, {
    method,
    headers,
    ...(method !== "GET" && method !== "HEAD" && { body: options.raw ?? JSON.stringify(body) }),
    ...(options.signal && { signal: options.signal }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Calls and asserts a 200, returning the JSON body. */
export async function ok(
  emu: Emulator,
  rpc: string,
  body: unknown = {},
  options: CallOptions = {},
): Promise<Json> {
  const result = await call(emu, rpc, body, options);
  if (result.status !== 200) throw new Error(`${rpc} answered ${result.status}: ${result.text}`);
  return result.json;
}
