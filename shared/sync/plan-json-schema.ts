/**
 * The saved plan (`plan --out`, format 2) as a JSON Schema (draft 2020-12), for policy tools that
 * read the plan as data (conftest/OPA, docs/policies.md). Built from the code's own constants
 * (format, version, actions, kinds), committed as schema/plan.schema.json and kept equal to this by
 * test/policies/plan-schema.test.ts. `$defs.plan` is the plan alone: the action's `plan-file`.
 */
import type { JsonSchema } from "../config/file-format.js";
import { ALL_KINDS } from "../kinds/registry.js";
import { ACTIONS } from "./plan-base.js";
import { SAVED_PLAN_FORMAT, SAVED_PLAN_VERSION } from "./saved-plan.js";

const PUBLISHED_PLAN_SCHEMA_URL =
  "https://raw.githubusercontent.com/gitpod-runner-config/gitpod-runner-config/v1/schema/plan.schema.json";

const SHA256 = "^sha256:[0-9a-f]{64}$";

export function planJsonSchema(): JsonSchema {
  const options = {
    type: "object",
    description: "The options the plan was made with (apply takes the same flags, or refuses).",
    additionalProperties: false,
    required: ["prune", "allowDestructive", "rotateSecrets"],
    properties: {
      prune: { type: "boolean" },
      allowDestructive: { type: "boolean" },
      rotateSecrets: { type: "boolean" },
    },
  };
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: PUBLISHED_PLAN_SCHEMA_URL,
    title: `gitpod-runner-config saved plan, format ${SAVED_PLAN_VERSION}`,
    description:
      "What `gitpod-runner-config plan --out FILE` writes. Secrets appear only as environment variable names.",
    type: "object",
    additionalProperties: false,
    required: ["format", "version", "createdAt", "files", "options", "fingerprint", "plan"],
    properties: {
      format: { const: SAVED_PLAN_FORMAT },
      version: { const: SAVED_PLAN_VERSION },
      createdAt: { type: "string", format: "date-time" },
      files: {
        type: "array",
        minItems: 1,
        description: "The config files the plan was made from, with the SHA-256 of their text.",
        items: {
          type: "object",
          additionalProperties: false,
          required: ["path", "sha256"],
          properties: { path: { type: "string", minLength: 1 }, sha256: { type: "string", pattern: SHA256 } },
        },
      },
      options: { $ref: "#/$defs/options" },
      fingerprint: {
        type: "string",
        pattern: SHA256,
        description: "The runners' state the plan was made against.",
      },
      plan: { $ref: "#/$defs/plan" },
    },
    $defs: {
      options,
      plan: {
        type: "object",
        description: "The plan itself (version 1): also the action's plan-file and plan output.",
        additionalProperties: false,
        required: ["version", "file", "options", "runners"],
        properties: {
          version: { const: 1 },
          file: { type: "string", description: "The config file(s), comma-separated." },
          options: { $ref: "#/$defs/options" },
          runners: { type: "array", items: { $ref: "#/$defs/runner" } },
        },
      },
      runner: {
        type: "object",
        description: "A runner's part of the plan; kinds may add facts about the runner as a whole.",
        required: ["runnerId", "operations"],
        properties: {
          runnerId: { type: "string" },
          runnerName: { type: "string" },
          operations: { type: "array", items: { $ref: "#/$defs/operation" } },
          notes: { type: "array", items: { type: "string" } },
        },
      },
      operation: {
        type: "object",
        description:
          "What the plan does to one object. Kinds add their own fields (desired: the file's item; what an update sends).",
        required: ["kind", "action", "runnerId", "key", "changes"],
        properties: {
          kind: { enum: ALL_KINDS.map((kind) => kind.kind) },
          action: { enum: [...ACTIONS] },
          runnerId: { type: "string" },
          key: {
            type: "string",
            description: "The item's key within its runner: display name, or scmId@host.",
          },
          currentId: { type: "string", description: "The existing object the operation changes." },
          changes: {
            type: "array",
            items: {
              type: "object",
              additionalProperties: false,
              required: ["field"],
              properties: { field: { type: "string" }, from: { type: "string" }, to: { type: "string" } },
            },
          },
          destructive: {
            type: "object",
            description: "Set when the operation deletes something users depend on.",
            additionalProperties: false,
            required: ["reason", "deletes"],
            properties: { reason: { type: "string" }, deletes: { type: "string" } },
          },
          desired: { type: "object", description: "The file's item, as the kind sends it." },
          path: { type: "string" },
          line: { type: "integer", minimum: 1 },
          notes: { type: "array", items: { type: "string" } },
        },
      },
    },
  };
}
