/**
 * A resource kind's part of the file format: its key under a runner, the structure of one entry,
 * reading entries into the desired state (with file, line and field for every problem), its JSON
 * Schema, its checks against a runner's live schema, and the way back (export: live objects as
 * entries). The loader, json-schema.ts, schema-check.ts and export reach a kind only through this.
 */
import type { z } from "zod";
import type { RunnerConfigurationSchema } from "../api/resources/schema.wire.js";
import { formatPath, type PathPart } from "./locate.js";
import { type LazyPositions, lazyLines } from "./positions.js";
import type { SecretReferenceContext } from "./secret-reference.js";
import type { ConfigIssue, FieldLines } from "./types.js";

export type JsonSchema = Record<string, unknown>;

/** Every item read from the file knows where it is. */
export interface Located {
  /** Dotted path, e.g. `runners[0].scmIntegrations[1]`. */
  path: string;
  line: number;
  lines: FieldLines;
  /** The column of each field's value, by the same names as `lines`. */
  columns: FieldLines;
}

export interface LoadContext extends SecretReferenceContext {
  /** Where the kind's list is: `["runners", 0, "scmIntegrations"]`. */
  listPath: readonly PathPart[];
  /** Lines are worked out only when asked for (see positions.ts). */
  positions: LazyPositions;
  /** The runner's items of a kind that loads before this one (the registry's order). */
  loaded<D extends Located>(format: FileFormat<D>): readonly D[];
  /** Something worth saying that does not stop the file (a model name this version does not know). */
  warn(path: readonly PathPart[], message: string): void;
}

export interface SchemaCheckContext {
  file: string;
  runner: { id: string; name: string | undefined };
}

/** A variable an exported file refers to: the value cannot be read back. */
export interface ExportedSecret {
  variable: string;
  runnerId: string;
  /** What it holds, for the file's header: `github github.com on runner … (client …)`. */
  describes: string;
}

/**
 * A runner's objects as one kind sees them: the runner's id and the kind's own fields (`Live`, as
 * its ResourceKind declares them). Export reads every kind's (export/export.ts: ExportRunnerState).
 */
export type LiveObjects<Live extends object = object> = { runnerId: string } & Live;

interface ExportContext<Live extends object> {
  /** Every runner being exported (a variable name may depend on the others). */
  runners: readonly LiveObjects<Live>[];
  /** A variable name not yet used in this file: `name`, else `name_2`, `name_3`, ... */
  variable(name: string): string;
  secret(secret: ExportedSecret): void;
  /** Something the file cannot hold as it is, in one sentence. */
  note(text: string): void;
}

export interface FileFormat<
  Desired extends Located = Located,
  Key extends string = string,
  Entry = unknown,
  Live extends object = object,
> {
  /** The key under a runner: `environmentClasses`. */
  readonly key: Key;
  /** One entry of the list, strict (unknown keys are errors with their line). */
  readonly entry: z.ZodType<Entry>;
  /** For counts in words: "environment class(es)". */
  readonly counted: string;
  /** The list's JSON Schema (its items refer to `defs`) and the definitions it adds to `$defs`. */
  readonly jsonSchema: { list: JsonSchema; defs: Readonly<Record<string, JsonSchema>> };
  /**
   * The longest text allowed at `at` (a path inside one entry: `["displayName"]`,
   * `["configuration", "diskSize"]`); undefined: the file's general limit (limits.ts).
   */
  maxLength?(at: readonly PathPart[]): number | undefined;
  /** The longest key allowed in the map at `at` inside one entry; undefined: no limit of its own. */
  maxKeyLength?(at: readonly PathPart[]): number | undefined;
  /**
   * What makes an entry one object. Entries with the same `key` describe it twice: the loader
   * reports each later one at its `field` with the words `duplicate(entry)`.
   */
  readonly identity: {
    key(entry: Entry): string;
    field: string;
    duplicate(entry: Entry): string;
    /**
     * Optional fields that must be unique too where given (an environment class's `id:`): the same
     * value twice is reported at the later entry's `field`. `key` returns undefined when not given.
     */
    alsoUnique?: ReadonlyArray<{
      key(entry: Entry): string | undefined;
      field: string;
      duplicate(entry: Entry): string;
    }>;
  };
  /**
   * One entry (already checked against `entry`), at `path`, as a desired item (built with
   * `locatedItem`); problems go to `context.issue`. Undefined when they leave nothing to plan.
   */
  loadEntry(entry: Entry, path: readonly PathPart[], context: LoadContext): Desired | undefined;
  /** The JSON Schema of the list for one runner's live schema (undefined: nothing runner-specific). */
  liveSchemaRule?(schema: RunnerConfigurationSchema): JsonSchema | undefined;
  /** Problems with the items against the runner's live schema, before anything is sent. */
  checkAgainstSchema?(
    items: readonly Desired[],
    schema: RunnerConfigurationSchema,
    context: SchemaCheckContext,
  ): ConfigIssue[];
  /** The runner's live objects of this kind as entries that plan to no changes. */
  exportEntries(state: LiveObjects<Live>, context: ExportContext<Live>): Array<Record<string, unknown>>;
  /** Header lines above the list of this kind's exported variables: why they are needed. */
  readonly exportedSecretsHeader?: readonly string[];
}

/**
 * An entry's item as the desired state holds it: its dotted `path`, its `line`, and the `lines` of
 * its `fields` and of the keys of its nested blocks (`{ configuration: ["cpu"] }` gives
 * `configuration.cpu`), worked out only when read.
 */
export function locatedItem<Desired extends Located>(
  item: Omit<Desired, keyof Located>,
  path: readonly PathPart[],
  context: Pick<LoadContext, "positions">,
  fields: readonly string[],
  nested: Readonly<Record<string, readonly string[]>> = {},
): Desired {
  const located = { ...item, path: formatPath(path) } as Desired;
  return lazyLines(located, context.positions, path, () => [
    ...fields.map((name) => ({ name, path: [...path, name] })),
    ...Object.entries(nested).flatMap(([block, keys]) =>
      keys.map((key) => ({ name: `${block}.${key}`, path: [...path, block, key] })),
    ),
  ]);
}

/** A kind's list as desired items: each entry through the kind, and the same key twice is an issue. */
export function loadList<Desired extends Located, Entry>(
  format: FileFormat<Desired, string, Entry>,
  entries: readonly Entry[],
  context: LoadContext,
): Desired[] {
  const items: Desired[] = [];
  const keys = [format.identity, ...(format.identity.alsoUnique ?? [])];
  const seen = keys.map(() => new Set<string>());
  entries.forEach((entry, index) => {
    const path: PathPart[] = [...context.listPath, index];
    keys.forEach((unique, which) => {
      const key = unique.key(entry);
      if (key === undefined) return;
      if (seen[which]?.has(key)) context.issue([...path, unique.field], unique.duplicate(entry));
      seen[which]?.add(key);
    });
    const item = format.loadEntry(entry, path, context);
    if (item !== undefined) items.push(item);
  });
  return items;
}

/**
 * A kind's list in the JSON Schema: an array whose items refer to the entry's schema, defined once
 * in `$defs` under `name` (with any other definitions the entry uses).
 */
export function listSchema(
  name: string,
  entry: JsonSchema,
  description: string,
  otherDefs: Readonly<Record<string, JsonSchema>> = {},
): FileFormat["jsonSchema"] {
  return {
    list: { type: "array", description, items: { $ref: `#/$defs/${name}` } },
    defs: { [name]: entry, ...otherDefs },
  };
}
