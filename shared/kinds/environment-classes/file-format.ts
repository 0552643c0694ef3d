/**
 * `environmentClasses:` in the file: classes matched by their `id:` where the file pins one (so a
 * new display name renames the class in place), else by display name within a runner; their
 * configuration checked against the runner's live schema; and the way back from live classes
 * (export writes the ids).
 */
import { z } from "zod";
import type { EnvironmentClass } from "../../api/resources/environment-classes.wire.js";
import type { RunnerConfigurationSchema } from "../../api/resources/schema.wire.js";
import { checkConfigurationValue, fieldSchema } from "../../config/configuration-fields.js";
import {
  type FileFormat,
  type JsonSchema,
  type LoadContext,
  listSchema,
  locatedItem,
  type SchemaCheckContext,
} from "../../config/file-format.js";
import { MAX_FIELD_LENGTH } from "../../config/limits.js";
import type { PathPart } from "../../config/locate.js";
import type { ConfigIssue, FieldLines } from "../../config/types.js";
import { didYouMean } from "../../text/did-you-mean.js";

const configurationValue = z.union([z.string(), z.number(), z.boolean()], {
  error: "must be a string, a number or a boolean",
});

const EnvironmentClassEntry = z.strictObject({
  id: z
    .string()
    .regex(z.regexes.uuid(), "must be an environment class's id (a UUID), as export writes it")
    .optional(),
  displayName: z.string().min(1, "displayName must not be empty"),
  description: z.string().optional(),
  enabled: z.boolean().default(true),
  configuration: z.record(z.string(), configurationValue).default({}),
});
type Entry = z.infer<typeof EnvironmentClassEntry>;

export interface DesiredEnvironmentClass {
  /** Pins the entry to this class: matched by id, so a changed displayName is a rename in place. */
  id?: string | undefined;
  displayName: string;
  description: string | undefined;
  enabled: boolean;
  /** Values as the API stores them: strings. */
  configuration: Record<string, string>;
  path: string;
  line: number;
  lines: FieldLines;
  columns: FieldLines;
}

const FIELDS = ["id", "displayName", "description", "enabled", "configuration"];

function loadEntry(entry: Entry, path: readonly PathPart[], context: LoadContext): DesiredEnvironmentClass {
  const configuration: Record<string, string> = {};
  for (const [key, value] of Object.entries(entry.configuration)) configuration[key] = String(value);
  const item = {
    id: entry.id,
    displayName: entry.displayName,
    description: entry.description,
    enabled: entry.enabled,
    configuration,
  };
  return locatedItem<DesiredEnvironmentClass>(item, path, context, FIELDS, {
    configuration: Object.keys(configuration),
  });
}

const ENTRY_SCHEMA: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["displayName"],
  properties: {
    id: {
      type: "string",
      pattern: z.regexes.uuid().source,
      description:
        "The class's id (export writes it). Pins the entry to that class: a changed displayName renames it in place; its configuration cannot change (remove id to replace the class).",
    },
    displayName: {
      type: "string",
      minLength: 1,
      maxLength: MAX_FIELD_LENGTH.displayName,
      description: "Name users pick; unique within a runner.",
    },
    description: { type: "string", maxLength: MAX_FIELD_LENGTH.description },
    enabled: { type: "boolean", default: true, description: "false keeps the class but hides it." },
    configuration: {
      type: "object",
      description:
        "Keys and values from the runner's configuration schema (`schema --runner ID` lists them).",
      propertyNames: { maxLength: MAX_FIELD_LENGTH.configurationKey },
      additionalProperties: {
        type: ["string", "number", "boolean"],
        maxLength: MAX_FIELD_LENGTH.configurationValue,
      },
    },
  },
};

/** The configuration keys of one runner's live schema (a runner that reports none is left open). */
function liveSchemaRule(schema: RunnerConfigurationSchema): JsonSchema | undefined {
  if (!schema.environmentClasses) return undefined;
  const fields = schema.environmentClasses.filter((field) => field.id);
  const configuration: JsonSchema = {
    type: "object",
    additionalProperties: false,
    properties: Object.fromEntries(fields.map((field) => [field.id, fieldSchema(field)])),
    required: fields.filter((field) => field.required).map((field) => field.id),
  };
  return { type: "array", items: { type: "object", properties: { configuration } } };
}

function checkAgainstSchema(
  items: readonly DesiredEnvironmentClass[],
  schema: RunnerConfigurationSchema,
  { file }: SchemaCheckContext,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const fields = new Map((schema.environmentClasses ?? []).map((field) => [field.id ?? "", field]));
  for (const environmentClass of items) {
    // Looked up only for an issue: a position costs the positioned parse of the file (positions.ts).
    const at = (key: string) => ({
      line: environmentClass.lines[key] ?? environmentClass.line,
      column: environmentClass.columns[key] ?? 1,
    });
    for (const [key, value] of Object.entries(environmentClass.configuration)) {
      const field = fields.get(key);
      const path = `${environmentClass.path}.configuration.${key}`;
      if (!field) {
        const known = [...fields.keys()].join(", ");
        issues.push({
          file,
          ...at(`configuration.${key}`),
          path,
          message: `unknown configuration key "${key}"${didYouMean(key, fields.keys())} (known: ${known})`,
        });
        continue;
      }
      const error = checkConfigurationValue(field, value);
      if (error) issues.push({ file, ...at(`configuration.${key}`), path, message: `${key} ${error}` });
    }
    for (const field of fields.values()) {
      if (field.required && field.id && !(field.id in environmentClass.configuration)) {
        issues.push({
          file,
          ...at("configuration"),
          path: `${environmentClass.path}.configuration`,
          message: `missing required configuration key "${field.id}"`,
        });
      }
    }
  }
  return issues;
}

/**
 * A configuration value as the file should hold it: numbers and booleans bare when they read back
 * as the same string, everything else a string (the YAML writer quotes it when it would not).
 */
function fileValue(value: string): string | number | boolean {
  if (value === "true") return true;
  if (value === "false") return false;
  if (/^-?(0|[1-9][0-9]{0,14})$/.test(value) && String(Number(value)) === value) return Number(value);
  return value;
}

/** Among classes sharing a display name, the one the planner would match: first enabled, else first. */
function keptClass(candidates: EnvironmentClass[]): EnvironmentClass {
  const kept = candidates.find((c) => c.enabled) ?? candidates[0];
  if (!kept) throw new Error("internal: no candidates");
  return kept;
}

function exportEntry(environmentClass: EnvironmentClass): Record<string, unknown> {
  // The id pins the entry to this class, so renaming it in the file renames it in place.
  const entry: Record<string, unknown> = {
    id: environmentClass.id,
    displayName: environmentClass.displayName ?? "",
  };
  if (environmentClass.description) entry.description = environmentClass.description;
  if (!environmentClass.enabled) entry.enabled = false;
  const configuration: Record<string, string | number | boolean> = {};
  for (const field of environmentClass.configuration ?? []) {
    configuration[field.key ?? ""] = fileValue(field.value ?? "");
  }
  if (Object.keys(configuration).length > 0) entry.configuration = configuration;
  return entry;
}

export const environmentClassFormat: FileFormat<
  DesiredEnvironmentClass,
  "environmentClasses",
  Entry,
  { environmentClasses: EnvironmentClass[] }
> = {
  key: "environmentClasses",
  entry: EnvironmentClassEntry,
  counted: "environment class(es)",
  jsonSchema: listSchema(
    "environmentClass",
    ENTRY_SCHEMA,
    "Environment classes, matched by id where given, else by display name within the runner.",
  ),
  maxLength(at) {
    const [field] = at;
    if (at.length === 1 && (field === "displayName" || field === "description"))
      return MAX_FIELD_LENGTH[field];
    return at.length === 2 && field === "configuration" ? MAX_FIELD_LENGTH.configurationValue : undefined;
  },
  maxKeyLength: (at) =>
    at.length === 1 && at[0] === "configuration" ? MAX_FIELD_LENGTH.configurationKey : undefined,
  identity: {
    key: (entry) => entry.displayName,
    field: "displayName",
    duplicate: (entry) => `duplicate environment class "${entry.displayName}" in this runner`,
    alsoUnique: [
      {
        key: (entry) => entry.id,
        field: "id",
        duplicate: (entry) => `environment class ${entry.id} is pinned by two entries in this runner`,
      },
    ],
  },
  loadEntry,
  liveSchemaRule,
  checkAgainstSchema,
  exportEntries(state, context) {
    const byName = new Map<string, EnvironmentClass[]>();
    for (const environmentClass of state.environmentClasses) {
      const name = environmentClass.displayName ?? "";
      byName.set(name, [...(byName.get(name) ?? []), environmentClass]);
    }
    const entries: Array<Record<string, unknown>> = [];
    for (const [name, candidates] of byName) {
      const kept = keptClass(candidates);
      entries.push(exportEntry(kept));
      const left = candidates.filter((c) => c !== kept);
      if (left.length === 0) continue;
      const leftEnabled = left.filter((c) => c.enabled).length;
      context.note(
        `Runner ${state.runnerId} has ${candidates.length} environment classes named ${JSON.stringify(name)}, ` +
          `and a file holds one per runner: the export keeps ${kept.id}${kept.enabled ? " (enabled)" : " (disabled)"} ` +
          `and leaves out ${left.map((c) => c.id).join(", ")}; plan and apply leave those alone` +
          (leftEnabled > 0 ? `, except that --prune would disable the ${leftEnabled} enabled one(s).` : "."),
      );
    }
    return entries;
  },
};
