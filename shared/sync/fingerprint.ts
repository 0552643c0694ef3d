/**
 * A fingerprint of the objects a plan was made against: each kind's objects of the plan's runners
 * (ids and all fields, encrypted secrets included; see ResourceKind.fingerprint) and each runner's
 * schema version. A saved plan is applied only while the fingerprint still matches.
 */
import { createHash } from "node:crypto";
import { ALL_KINDS } from "../kinds/registry.js";
import type { RunnerState } from "./current-state.js";

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Array-index keys ("0", "12") are enumerated first, in numeric order, by every JS object. */
function isIndexKey(key: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/**
 * Writes the canonical JSON of `value` (object keys sorted, undefined fields left out) piece by piece,
 * so fingerprinting 10,000 objects builds neither a sorted deep copy nor one large string (the
 * profile in bench/README.md). The text is the same as JSON.stringify of a copy with sorted keys.
 */
function writeCanonical(value: unknown, write: (text: string) => void): void {
  if (Array.isArray(value)) {
    write("[");
    value.forEach((item, index) => {
      if (index > 0) write(",");
      if (item === undefined || typeof item === "function" || typeof item === "symbol") write("null");
      else writeCanonical(item, write);
    });
    write("]");
    return;
  }
  if (value && typeof value === "object") {
    const keys = Object.keys(value)
      .filter((key) => {
        const field = (value as Record<string, unknown>)[key];
        return field !== undefined && typeof field !== "function" && typeof field !== "symbol";
      })
      .sort(byKey);
    // A copy built from sorted entries would still list index keys first, numerically.
    const ordered = [
      ...keys.filter(isIndexKey).sort((a, b) => Number(a) - Number(b)),
      ...keys.filter((key) => !isIndexKey(key)),
    ];
    write("{");
    ordered.forEach((key, index) => {
      write(`${index > 0 ? "," : ""}${JSON.stringify(key)}:`);
      writeCanonical((value as Record<string, unknown>)[key], write);
    });
    write("}");
    return;
  }
  write(JSON.stringify(value) ?? "null");
}

/** Key order of the canonical JSON: index keys numerically first, then the rest by code unit. */
function canonicalKeyOrder(keys: Iterable<string>): string[] {
  const all = [...keys];
  return [
    ...all.filter(isIndexKey).sort((a, b) => Number(a) - Number(b)),
    ...all.filter((key) => !isIndexKey(key)).sort(byKey),
  ];
}

/**
 * Every key of every object in `value`, or undefined when something in it is not plain JSON data
 * (a Date, a class instance, a bigint) or a key could be read through Object.prototype
 * ("__proto__", "constructor"...): then only the general writer gives the canonical text.
 */
function plainKeys(value: unknown): Set<string> | undefined {
  const keys = new Set<string>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const inner = stack.pop();
    if (inner === null || typeof inner !== "object") {
      if (typeof inner === "bigint") return undefined;
      continue;
    }
    if (Array.isArray(inner)) {
      for (const item of inner) stack.push(item);
      continue;
    }
    const proto = Object.getPrototypeOf(inner);
    if (proto !== Object.prototype && proto !== null) return undefined;
    for (const key in inner) {
      if (!Object.hasOwn(inner, key)) continue;
      if (!keys.has(key)) {
        if (key in Object.prototype) return undefined;
        keys.add(key);
      }
      stack.push((inner as Record<string, unknown>)[key]);
    }
  }
  return keys;
}

/**
 * The same canonical text for plain JSON data, written with one native JSON.stringify per item: a
 * key list as replacer makes every object's keys come out in the list's order (absent ones left
 * out), so sorting the list once sorts every object. The top levels (the runners and their lists)
 * are walked here so no string holds more than one item.
 */
function writeCanonicalPlain(
  value: unknown,
  order: string[],
  depth: number,
  write: (text: string) => void,
): void {
  if (depth > 0 && Array.isArray(value)) {
    write("[");
    for (let index = 0; index < value.length; index += 1) {
      if (index > 0) write(",");
      writeCanonicalPlain(value[index], order, depth - 1, write);
    }
    write("]");
    return;
  }
  if (depth > 0 && value !== null && typeof value === "object" && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    write("{");
    let first = true;
    for (const key of canonicalKeyOrder(Object.keys(record))) {
      const field = record[key];
      if (field === undefined || typeof field === "function" || typeof field === "symbol") continue;
      write(`${first ? "" : ","}${JSON.stringify(key)}:`);
      first = false;
      writeCanonicalPlain(field, order, depth - 1, write);
    }
    write("}");
    return;
  }
  write(JSON.stringify(value, order) ?? "null");
}

/** The canonical JSON of `value` (object keys sorted, undefined fields left out): equal data, equal text. */
export function canonicalJson(value: unknown): string {
  const pieces: string[] = [];
  writeCanonical(value, (text) => pieces.push(text));
  return pieces.join("");
}

export function stateFingerprint(runners: ReadonlyMap<string, RunnerState>, runnerIds: string[]): string {
  const parts = [...new Set(runnerIds)].sort().map((runnerId) => {
    const state = runners.get(runnerId);
    return Object.assign(
      { runnerId, schemaVersion: state?.schema?.version ?? "" },
      ...ALL_KINDS.map((kind) => kind.fingerprint(state)),
    );
  });
  const hash = createHash("sha256");
  // Small pieces are joined before hashing: one update call per token would cost more than it saves.
  let pending = "";
  const write = (text: string) => {
    pending += text;
    if (pending.length > 64 * 1024) {
      hash.update(pending);
      pending = "";
    }
  };
  const keys = plainKeys(parts);
  // Depth 3: the runners' array, each runner, its lists; every object below is one stringify.
  if (keys) writeCanonicalPlain(parts, canonicalKeyOrder(keys), 3, write);
  else writeCanonical(parts, write);
  return `sha256:${hash.update(pending).digest("hex")}`;
}
