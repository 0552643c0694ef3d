/**
 * The file format as a JSON Schema (draft 2020-12), for editors (yaml-language-server) and other
 * tools. Without runner schemas it covers the structure, the same rules as structure.ts; with them,
 * what each resource kind takes from a runner's live schema (configuration keys, SCM ids). Each
 * kind's part comes from its FileFormat.
 */
import { z } from "zod";
import type { RunnerConfigurationSchema } from "../api/resources/schema.wire.js";
import { FILE_FORMATS } from "../kinds/registry.js";
import type { JsonSchema } from "./file-format.js";
import { MAX_FIELD_LENGTH } from "./limits.js";

/** Where the committed structure-only schema is published (schema/runner-config.schema.json). */
export const PUBLISHED_SCHEMA_URL =
  "https://raw.githubusercontent.com/gitpod-runner-config/gitpod-runner-config/v1/schema/runner-config.schema.json";

const OTHER = MAX_FIELD_LENGTH.other ?? 2048;

/** The runner and, from each resource kind, its list and the definitions its entries use. */
function structure(): Record<string, JsonSchema> {
  return {
    runner: {
      type: "object",
      description: "A runner and what it should have. Items not in the file are left alone unless --prune.",
      additionalProperties: false,
      required: ["id"],
      properties: {
        id: { type: "string", pattern: z.regexes.uuid().source, description: "The runner's id (a UUID)." },
        name: { type: "string", maxLength: OTHER, description: "A label for people; not sent to the API." },
        ...Object.fromEntries(FILE_FORMATS.map((format) => [format.key, format.jsonSchema.list])),
      },
    },
    ...Object.assign({}, ...FILE_FORMATS.map((format) => format.jsonSchema.defs)),
  };
}

/** The runner-specific part: what each kind takes from one runner's live schema. */
function runnerRule(runnerId: string, schema: RunnerConfigurationSchema): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const format of FILE_FORMATS) {
    const rule = format.liveSchemaRule?.(schema);
    if (rule) properties[format.key] = rule;
  }
  return {
    if: { type: "object", properties: { id: { type: "string", const: runnerId } }, required: ["id"] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable
    then: { properties },
  };
}

export function runnerConfigJsonSchema(
  runners: Array<{ runnerId: string; schema: RunnerConfigurationSchema }> = [],
): JsonSchema {
  const defs = structure();
  if (runners.length > 0)
    defs.runner = { ...defs.runner, allOf: runners.map((r) => runnerRule(r.runnerId, r.schema)) };
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    ...(runners.length === 0 ? { $id: PUBLISHED_SCHEMA_URL } : {}),
    title: "gitpod-runner-config file",
    description: "Runner configuration as code: what each runner should have, one list per kind of object.",
    type: "object",
    additionalProperties: false,
    required: ["version", "runners"],
    properties: {
      version: { type: "integer", const: 1, description: "The file format version." },
      runners: { type: "array", minItems: 1, items: { $ref: "#/$defs/runner" } },
    },
    $defs: defs,
  };
}
