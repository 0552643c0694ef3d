/**
 * Request decoding as a Connect server with protojson (DiscardUnknown) does it, driven by the
 * descriptors in messages.ts:
 * - a field may be named by its JSON name (lowerCamelCase) or its proto name (snake_case); both at
 *   once is a duplicate field;
 * - `null` means unset; unknown fields and unknown enum names are ignored;
 * - integers may be quoted; a wrong type is invalid_argument naming the field (never its value,
 *   which may be a secret);
 * - `{}` decodes to a message with every field unset: the handlers read unset as the zero value.
 * And the answer side: fields holding their zero value are omitted.
 */
import { invalidArgument } from "./connect-errors.js";
import type { EnumKind, FieldDescriptor, MessageDescriptor, ScalarKind } from "./messages.js";

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const UINT64_MAX = 2n ** 64n - 1n;

class DecodeError extends Error {}

function wrongType(kind: string, path: string): DecodeError {
  return new DecodeError(`invalid value for ${kind} field ${path}`);
}

function readInteger(value: unknown, kind: "int32" | "int64", path: string): number {
  const number =
    typeof value === "number"
      ? value
      : typeof value === "string" && /^-?\d+$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isInteger(number)) throw wrongType(kind, path);
  if (kind === "int32" && (number < INT32.min || number > INT32.max)) throw wrongType(kind, path);
  return number;
}

/** A uint64 as a bigint: protojson writes a decimal string; a JSON number is read too. */
function readUint64(value: unknown, path: string): bigint {
  const text =
    typeof value === "number" && Number.isSafeInteger(value)
      ? String(value)
      : typeof value === "string"
        ? value
        : "";
  if (!/^\d+$/.test(text) || BigInt(text) > UINT64_MAX) throw wrongType("uint64", path);
  return BigInt(text);
}

function readScalar(kind: ScalarKind, value: unknown, path: string): unknown {
  switch (kind) {
    case "string":
      if (typeof value !== "string") throw wrongType("string", path);
      return value;
    case "bool":
      if (typeof value !== "boolean") throw wrongType("bool", path);
      return value;
    case "int32":
    case "int64":
      return readInteger(value, kind, path);
    case "uint64":
      return readUint64(value, path);
    case "bytes":
      if (typeof value !== "string" || !BASE64.test(value)) throw wrongType("bytes", path);
      return value;
    case "timestamp":
      if (typeof value !== "string" || !RFC3339.test(value) || Number.isNaN(new Date(value).getTime())) {
        throw new DecodeError(`invalid google.protobuf.Timestamp value for field ${path}`);
      }
      return value;
  }
}

/**
 * An enum by name or number; a name this service does not know reads as unset. A number it does
 * not define is an unknown value of an open enum: dropped here, unless the field's rule is
 * defined_only, which refuses it.
 */
function readEnum(kind: EnumKind, value: unknown, path: string): string | undefined {
  if (typeof value === "string") return kind.enum.includes(value) ? value : undefined;
  if (typeof value === "number" && Number.isInteger(value)) {
    const name = kind.enum[value];
    if (name === undefined && kind.definedOnly) {
      throw new DecodeError(`${path}: value must be one of the defined enum values`);
    }
    return name;
  }
  throw wrongType("enum", path);
}

function readSingle(field: FieldDescriptor, value: unknown, path: string): unknown {
  const kind = field.kind;
  if ("scalar" in kind) return readScalar(kind.scalar, value, path);
  if ("enum" in kind) return readEnum(kind, value, path);
  if (!isObject(value)) throw wrongType("message", path);
  return decodeObject(kind.message(), value, `${path}.`);
}

function readField(field: FieldDescriptor, value: unknown, path: string): unknown {
  if (!field.repeated) return readSingle(field, value, path);
  if (!Array.isArray(value)) throw wrongType("repeated", path);
  const items = value.map((item, index) => {
    if (item === null) throw wrongType("repeated", `${path}[${index}]`);
    return readSingle(field, item, `${path}[${index}]`);
  });
  return items.filter((item) => item !== undefined);
}

function decodeObject(descriptor: MessageDescriptor, body: JsonObject, prefix: string): JsonObject {
  const out: JsonObject = {};
  const seen = new Set<string>();
  for (const [key, value] of Object.entries(body)) {
    const field = descriptor.fields.find((candidate) => candidate.json === key || candidate.proto === key);
    if (!field) continue; // DiscardUnknown
    if (seen.has(field.proto)) throw new DecodeError(`duplicate field ${prefix}${field.proto}`);
    seen.add(field.proto);
    if (value === null) continue;
    const decoded = readField(field, value, `${prefix}${field.json}`);
    if (decoded !== undefined) out[field.json] = decoded;
  }
  return out;
}

/** Parses the raw body of a request, or throws invalid_argument as connect-go would. */
export function decodeRequest(descriptor: MessageDescriptor, raw: string): unknown {
  if (raw.trim() === "") throw invalidArgument("zero-length payload is not a valid JSON object");
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw invalidArgument(`unmarshal ${descriptor.name}: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) throw invalidArgument(`unmarshal ${descriptor.name}: body must be a JSON object`);
  try {
    return decodeObject(descriptor, parsed, "");
  } catch (error) {
    if (error instanceof DecodeError) throw invalidArgument(`unmarshal ${descriptor.name}: ${error.message}`);
    throw error;
  }
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
