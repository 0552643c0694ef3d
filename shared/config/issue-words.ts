/**
 * Structure errors in the file's words instead of zod's: `pat: expected true or false, got "maybe"`,
 * and `unknown key "descripton" (did you mean "description"?)`.
 */
import type { z } from "zod";
import { didYouMean } from "../text/did-you-mean.js";
import type { PathPart } from "./locate.js";
import { RunnerConfigFile } from "./structure.js";

const EXPECTED: Record<string, string> = {
  boolean: "true or false",
  array: "a list",
  object: "a map of keys and values",
  string: "text",
  number: "a number",
  int: "a whole number",
};

/** What a value is, for "got …": the value itself when short, else its kind. */
function describeValue(value: unknown): string {
  if (value === null) return "nothing (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  if (typeof value === "string")
    return value.length > 60 ? `text (${value.length} characters)` : JSON.stringify(value);
  return String(value);
}

/** The schema inside optional, default and array wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let inner = schema;
  for (;;) {
    const def = inner.def as { type: string; innerType?: z.ZodType; element?: z.ZodType };
    if ((def.type === "optional" || def.type === "default") && def.innerType) inner = def.innerType;
    else if (def.type === "array" && def.element) inner = def.element;
    else return inner;
  }
}

/**
 * The keys allowed where `path` points (an object in the file), for "did you mean": found by
 * walking the file's structure, so every kind's entries (and their nested maps) are covered.
 */
export function knownKeysAt(path: readonly PathPart[]): string[] {
  let schema: z.ZodType = RunnerConfigFile;
  for (const part of path) {
    if (typeof part === "number") continue;
    const shape = (unwrap(schema).def as { shape?: Record<string, z.ZodType> }).shape;
    const next = shape?.[part];
    if (!next) return [];
    schema = next;
  }
  const shape = (unwrap(schema).def as { shape?: Record<string, z.ZodType> }).shape;
  return shape ? Object.keys(shape) : [];
}

export function unknownKeyMessage(key: string, parentPath: readonly PathPart[]): string {
  return `unknown key "${key}"${didYouMean(key, knownKeysAt(parentPath))}`;
}

/** The message for one zod issue about the value `value` at the field named `field`. */
export function structureMessage(zodIssue: z.core.$ZodIssue, field: string, value: unknown): string {
  if (zodIssue.code === "invalid_type") {
    if (value === undefined) return `${field} is required`;
    const expected = EXPECTED[zodIssue.expected] ?? zodIssue.expected;
    return `${field}: expected ${expected}, got ${describeValue(value)}`;
  }
  if (zodIssue.code === "invalid_union") {
    // The only union is a configuration value; its message names the choices.
    return `${field}: ${zodIssue.message}, got ${describeValue(value)}`;
  }
  if (zodIssue.message.startsWith(`${field} `)) return zodIssue.message;
  return `${field}: ${zodIssue.message}`;
}
