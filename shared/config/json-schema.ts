/**
 * The file format as a JSON Schema (draft 2020-12), for editors (yaml-language-server) and other
 * tools. Without runner schemas it covers the structure, the same rules as structure.ts; with them,
 * each runner's configuration keys (types, ranges, patterns, enum values, descriptions) and SCM ids.
 */
import { z } from "zod";
import type { RunnerConfigurationSchema, SchemaField } from "../api/schemas.js";
import { MAX_FIELD_LENGTH } from "./limits.js";
import { enumValues } from "./schema-check.js";

const OTHER = MAX_FIELD_LENGTH.other ?? 2048;

/** Where the committed structure-only schema is published (schema/runner-config.schema.json). */
export const PUBLISHED_SCHEMA_URL =
  "https://raw.githubusercontent.com/gitpod-runner-config/gitpod-runner-config/v1/schema/runner-config.schema.json";

type JsonSchema = Record<string, unknown>;

const SECRET_REFERENCE_PATTERN = "^\\s*\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}\\s*$";

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
        environmentClasses: {
          type: "array",
          description: "Environment classes, matched by display name within the runner.",
          items: { $ref: "#/$defs/environmentClass" },
        },
        scmIntegrations: {
          type: "array",
          description: "SCM integrations, matched by scmId and host within the runner.",
          items: { $ref: "#/$defs/scmIntegration" },
        },
        hostAuthenticationTokens: {
          type: "array",
          description:
            "Service accounts' tokens at SCM hosts, matched by host and serviceAccount within the runner. Users' tokens are never managed here.",
          items: { $ref: "#/$defs/hostAuthenticationToken" },
        },
      },
    },
    hostAuthenticationToken: {
      type: "object",
      additionalProperties: false,
      required: ["host", "serviceAccount", "token"],
      properties: {
        host: { type: "string", minLength: 1, maxLength: OTHER, description: "Host name, e.g. github.com." },
        serviceAccount: {
          type: "string",
          pattern: z.regexes.uuid().source,
          description: "The service account's id (a UUID): the token's subject.",
        },
        token: {
          type: "string",
          pattern: SECRET_REFERENCE_PATTERN,
          description:
            // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${ENV_VAR} syntax
            "A ${ENV_VAR} reference; never the token itself. Sent on create, rotation or a new expiresAt.",
        },
        refreshToken: {
          type: "string",
          pattern: SECRET_REFERENCE_PATTERN,
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${ENV_VAR} syntax
          description: "Optional ${ENV_VAR} reference.",
        },
        expiresAt: {
          type: "string",
          format: "date-time",
          description: "When the token expires (RFC 3339 with a time zone).",
        },
        scopes: {
          type: "array",
          maxItems: 100,
          uniqueItems: true,
          items: { type: "string", minLength: 1, maxLength: OTHER },
        },
        integration: {
          type: "string",
          minLength: 1,
          maxLength: OTHER,
          description: "The scmId of this runner's SCM integration (in the file) the token belongs to.",
        },
      },
    },
    environmentClass: {
      type: "object",
      additionalProperties: false,
      required: ["displayName"],
      properties: {
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
    },
    scmIntegration: {
      type: "object",
      additionalProperties: false,
      required: ["scmId", "host"],
      properties: {
        scmId: {
          type: "string",
          minLength: 1,
          maxLength: OTHER,
          description: "Provider: github, gitlab, bitbucket, azure-devops-server, ...",
        },
        host: { type: "string", minLength: 1, maxLength: OTHER, description: "Host name, e.g. github.com." },
        pat: { type: "boolean", default: false, description: "Allow personal access tokens." },
        oauth: { $ref: "#/$defs/oauth" },
        virtualDirectory: {
          type: "string",
          maxLength: OTHER,
          description: "Azure DevOps Server collection path, e.g. /tfs.",
        },
      },
    },
    oauth: {
      type: "object",
      additionalProperties: false,
      required: ["clientId", "clientSecret"],
      properties: {
        clientId: { type: "string", minLength: 1, maxLength: OTHER },
        clientSecret: {
          type: "string",
          pattern: SECRET_REFERENCE_PATTERN,
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${ENV_VAR} syntax
          description: "A ${ENV_VAR} reference; never the secret itself.",
        },
        issuerUrl: { type: "string", format: "uri", maxLength: OTHER },
      },
    },
  };
}

function fieldSchema(field: SchemaField): JsonSchema {
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

/** The runner-specific part: configuration keys and SCM ids of one runner's live schema. */
function runnerRule(runnerId: string, schema: RunnerConfigurationSchema): JsonSchema {
  const fields = (schema.environmentClasses ?? []).filter((field) => field.id);
  const configuration: JsonSchema = {
    type: "object",
    additionalProperties: false,
    properties: Object.fromEntries(fields.map((field) => [field.id, fieldSchema(field)])),
    required: fields.filter((field) => field.required).map((field) => field.id),
  };
  const scmIds = (schema.scm ?? []).map((scm) => scm.scmId).filter(Boolean);
  // A runner that reports no fields or no providers leaves that part open rather than empty.
  const rule = {
    properties: {
      ...(schema.environmentClasses
        ? { environmentClasses: { type: "array", items: { type: "object", properties: { configuration } } } }
        : {}),
      ...(schema.scm
        ? {
            scmIntegrations: {
              type: "array",
              items: { type: "object", properties: { scmId: { type: "string", enum: scmIds } } },
            },
          }
        : {}),
    },
  };
  return {
    if: { type: "object", properties: { id: { type: "string", const: runnerId } }, required: ["id"] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable
    then: rule,
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
    description: "Runner configuration as code: environment classes and SCM integrations per runner.",
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
