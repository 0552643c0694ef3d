/**
 * The fields of a runner's live configuration schema (what an environment class's `configuration`
 * may hold): checking one value against its field, and the field as JSON Schema.
 */
import type { SchemaField } from "../api/resources/schema.wire.js";

type JsonSchema = Record<string, unknown>;

function enumValues(field: SchemaField): string[] {
  const titles = (field.enum?.possibleValues ?? []).map((value) => value.title ?? "").filter(Boolean);
  return titles.length > 0 ? titles : (field.enum?.values ?? []);
}

/** The error for one configuration value, or undefined when it fits the field. */
export function checkConfigurationValue(field: SchemaField, value: string): string | undefined {
  if (field.int) {
    if (!/^-?\d+$/.test(value)) return `must be an integer, got "${value}"`;
    const number = Number(value);
    if (field.int.min !== undefined && number < field.int.min)
      return `must be at least ${field.int.min}, got ${value}`;
    if (field.int.max !== undefined && number > field.int.max)
      return `must be at most ${field.int.max}, got ${value}`;
  } else if (field.bool) {
    if (value !== "true" && value !== "false") return `must be true or false, got "${value}"`;
  } else if (field.enum) {
    const allowed = enumValues(field);
    if (!allowed.includes(value)) return `must be one of ${allowed.join(", ")}; got "${value}"`;
  } else if (field.string?.pattern) {
    if (!new RegExp(field.string.pattern).test(value))
      return `must match ${field.string.pattern}, got "${value}"`;
  } else if (field.display) {
    return "is read-only";
  }
  return undefined;
}

/** One configuration field as JSON Schema (types, ranges, patterns, enum values, description). */
export function fieldSchema(field: SchemaField): JsonSchema {
  const description = [field.name, field.description].filter(Boolean).join(": ");
  const base: JsonSchema = description ? { description } : {};
  if (field.int) {
    return {
      ...base,
      type: "integer",
      ...(field.int.min !== undefined ? { minimum: field.int.min } : {}),
      ...(field.int.max !== undefined ? { maximum: field.int.max } : {}),
      ...(field.int.default !== undefined ? { default: field.int.default } : {}),
    };
  }
  if (field.bool)
    return {
      ...base,
      type: "boolean",
      ...(field.bool.default !== undefined ? { default: field.bool.default } : {}),
    };
  if (field.enum)
    return {
      ...base,
      enum: enumValues(field),
      ...(field.enum.default ? { default: field.enum.default } : {}),
    };
  if (field.string)
    return { ...base, type: "string", ...(field.string.pattern ? { pattern: field.string.pattern } : {}) };
  if (field.display)
    return { ...base, not: {}, description: `${description} (read-only: set by the runner)` };
  return { ...base, type: ["string", "number", "boolean"] };
}
