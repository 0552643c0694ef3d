/**
 * JSON on the wire, the way a Connect server with protobuf JSON (protojson, DiscardUnknown) reads and
 * writes it:
 * - requests: `null` means "not set", snake_case field names are accepted as well as camelCase,
 *   integers may be quoted, unknown fields are ignored; a wrong type is invalid_argument;
 * - responses: fields holding their zero value ("", false, 0, []) are omitted.
 */
import type { z } from "zod";
import { RPCS, type RpcName } from "../../shared/api/schemas.js";
import { invalidArgument } from "./connect-errors.js";

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** Drops nulls and maps proto field names to JSON names, recursively. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === null) continue;
    const name = key.includes("_") ? camelCase(key) : key;
    if (name !== key && name in value) continue; // the JSON name wins when both are present
    out[name] = normalize(field);
  }
  return out;
}

/** protojson accepts quoted integers; the only integer in these requests is pagination.pageSize. */
function unquotePageSize(body: JsonObject): void {
  const pagination = body.pagination;
  if (
    isObject(pagination) &&
    typeof pagination.pageSize === "string" &&
    /^-?\d+$/.test(pagination.pageSize)
  ) {
    pagination.pageSize = Number(pagination.pageSize);
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(body)"}: ${issue.message}`)
    .join("; ");
}

/** Parses the raw body of an RPC into its request type, or throws invalid_argument. */
export function decodeRequest<N extends RpcName>(rpc: N, raw: string): z.output<(typeof RPCS)[N]["request"]> {
  if (raw.trim() === "") throw invalidArgument("zero-length payload is not a valid JSON object");
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw invalidArgument(`unmarshal ${rpc}Request: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) throw invalidArgument(`unmarshal ${rpc}Request: body must be a JSON object`);
  const body = normalize(parsed) as JsonObject;
  unquotePageSize(body);
  const result = RPCS[rpc].request.safeParse(body);
  if (!result.success) throw invalidArgument(`invalid ${rpc}Request: ${describeIssues(result.error)}`);
  return result.data as z.output<(typeof RPCS)[N]["request"]>;
}

/** Omits zero values as protojson does (without EmitUnpopulated); empty messages stay as {}. */
export function toProtoJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toProtoJson);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined || field === null || field === "" || field === false || field === 0) continue;
    if (Array.isArray(field) && field.length === 0) continue;
    out[key] = toProtoJson(field);
  }
  return out;
}
