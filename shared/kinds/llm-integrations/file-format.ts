/**
 * `llmIntegrations:` in the file: a runner's access to an LLM provider, one entry per endpoint (the
 * identity within a runner). The provider's API key and every literal request-header value are
 * `${ENV_VAR}` references only (credentials, like the key); a CEL-expression header is plain text.
 * Models are the service's full enum names. The way back from live integrations writes a variable
 * for the key, which cannot be read back.
 */
import { z } from "zod";
import { CEL_EXPRESSION_HEADER, type LlmIntegration } from "../../api/resources/llm-integrations.wire.js";
import {
  type FileFormat,
  type JsonSchema,
  type LoadContext,
  listSchema,
  locatedItem,
} from "../../config/file-format.js";
import { MAX_OTHER_LENGTH } from "../../config/limits.js";
import type { PathPart } from "../../config/locate.js";
import {
  referenceTo,
  secretReference,
  secretReferenceEntry,
  secretReferenceSchema,
  variablePart,
} from "../../config/secret-reference.js";
import type { FieldLines } from "../../config/types.js";
import { didYouMean } from "../../text/did-you-mean.js";
import { oneLine } from "../../text/untrusted.js";

/**
 * The models this version knows (`SupportedModel` of the SDK 1.0.1, ona-api-today.md), kept here
 * rather than taken from the client or the emulator: the file's check is the kind's own. The enum
 * grows, so a well-formed name not listed here is sent as written, with a note in the plan.
 */
const KNOWN_MODELS: ReadonlySet<string> = new Set(
  [
    "SONNET_3_5",
    "SONNET_3_7",
    "SONNET_3_7_EXTENDED",
    "SONNET_4",
    "SONNET_4_EXTENDED",
    "OPUS_4",
    "OPUS_4_EXTENDED",
    "SONNET_4_5",
    "SONNET_4_5_EXTENDED",
    "OPENAI_4O",
    "OPENAI_4O_MINI",
    "OPENAI_O1",
    "OPENAI_O1_MINI",
    "OPUS_4_5",
    "OPUS_4_5_EXTENDED",
    "OPUS_4_6",
    "OPUS_4_6_EXTENDED",
    "SONNET_4_6",
    "SONNET_4_6_EXTENDED",
    "HAIKU_4_5",
    "OPUS_4_7",
    "OPENAI_AUTO",
    "OPUS_4_8",
    "SONNET_5",
  ].map((name) => `SUPPORTED_MODEL_${name}`),
);
const MODEL_PREFIX = "SUPPORTED_MODEL_";
/** The form of every SupportedModel name; UNSPECIFIED is a name but not a model. */
const WELL_FORMED_MODEL = /^SUPPORTED_MODEL_[A-Z0-9]+(?:_[A-Z0-9]+)*$/;
const UNSPECIFIED_MODEL = "SUPPORTED_MODEL_UNSPECIFIED";
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const HeaderEntry = z.strictObject({
  name: z.string().min(1, "name must not be empty"),
  /** A literal value: a credential like the key, so a `${ENV_VAR}` reference only. */
  value: z.string().optional(),
  /** A CEL expression the service evaluates per request: plain text. */
  celExpression: z.string().min(1, "celExpression must not be empty").optional(),
});

const LlmIntegrationEntry = z.strictObject({
  endpoint: z.string().min(1, "endpoint must not be empty"),
  models: z.array(z.string()).min(1, "models must list at least one model"),
  apiKey: secretReferenceEntry("apiKey"),
  maxTokens: z
    .number({ error: "maxTokens must be a whole number (0: the model's default)" })
    .int("maxTokens must be a whole number (0: the model's default)")
    .nonnegative("maxTokens must not be negative (0: the model's default)")
    .max(Number.MAX_SAFE_INTEGER, `maxTokens must be at most ${Number.MAX_SAFE_INTEGER}`)
    .default(0),
  requestHeaders: z.array(HeaderEntry).max(50, "at most 50 request headers").optional(),
  enabled: z.boolean().default(true),
});
type Entry = z.infer<typeof LlmIntegrationEntry>;

/** A request header as the desired state holds it: a literal by its variable, or a CEL expression. */
export type DesiredHeader =
  | { name: string; valueEnv: string; celExpression?: undefined }
  | { name: string; celExpression: string; valueEnv?: undefined };

export interface DesiredLlmIntegration {
  endpoint: string;
  models: string[];
  /** Well-formed model names this version does not know (sent as written; the plan notes them). */
  unknownModels: string[];
  /** The environment variable that holds the provider's API key: the file never holds it. */
  apiKeyEnv: string;
  /** 0: the model's default. */
  maxTokens: number;
  /** Undefined when the file does not list any (the runner's headers are then left as they are). */
  requestHeaders: DesiredHeader[] | undefined;
  enabled: boolean;
  path: string;
  line: number;
  lines: FieldLines;
  columns: FieldLines;
}

/**
 * The identity of an integration within a runner: its endpoint, with the scheme and host
 * lower-cased and trailing slashes dropped (`https://API.example.com/v1/` is
 * `https://api.example.com/v1`). Takes a file entry and an API object alike.
 */
export function llmKey(item: { endpoint?: string | undefined }): string {
  const text = (item.endpoint ?? "").trim();
  try {
    const url = new URL(text);
    const path = url.pathname.replace(/\/+$/, "");
    return `${url.protocol}//${url.host}${path}${url.search}`;
  } catch {
    return text.toLowerCase();
  }
}

/** Whether an endpoint is an absolute http(s) URL (the file requires one). */
function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "https:" || url.protocol === "http:") && url.host !== "";
  } catch {
    return false;
  }
}

const FIELDS = ["endpoint", "models", "apiKey", "maxTokens", "requestHeaders", "enabled"];

/** A model name that is not a SupportedModel name at all: the closest known name, if any. */
function modelSuggestion(typed: string): string {
  const near = didYouMean(typed, KNOWN_MODELS);
  if (near) return near;
  // `SONNET_4`, `sonnet-4`: the short name of a known model.
  const spelled = `${MODEL_PREFIX}${typed
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")}`;
  return didYouMean(spelled, KNOWN_MODELS);
}

function loadModels(
  entry: Entry,
  path: readonly PathPart[],
  context: LoadContext,
): { models: string[]; unknownModels: string[] } | undefined {
  let ok = true;
  const seen = new Set<string>();
  const unknownModels: string[] = [];
  entry.models.forEach((model, index) => {
    const at = [...path, "models", index];
    if (seen.has(model)) {
      context.issue(at, `model ${model} is listed twice`);
      ok = false;
      return;
    }
    seen.add(model);
    if (KNOWN_MODELS.has(model)) return;
    if (model === UNSPECIFIED_MODEL || !WELL_FORMED_MODEL.test(model)) {
      context.issue(
        at,
        `"${oneLine(model)}" is not a model name: models are the service's full names such as SUPPORTED_MODEL_SONNET_4${modelSuggestion(model)}`,
      );
      ok = false;
      return;
    }
    unknownModels.push(model);
    context.warn(
      at,
      `${model} is not a model this version knows${didYouMean(model, KNOWN_MODELS)}; it is sent as written (the service's list grows, and it refuses a name it does not know)`,
    );
  });
  return ok ? { models: [...entry.models], unknownModels } : undefined;
}

function loadHeaders(
  entry: Entry,
  path: readonly PathPart[],
  context: LoadContext,
): { headers: DesiredHeader[] | undefined; ok: boolean } {
  if (entry.requestHeaders === undefined) return { headers: undefined, ok: true };
  let ok = true;
  const names = new Set<string>();
  const headers: DesiredHeader[] = [];
  entry.requestHeaders.forEach((header, index) => {
    const at = [...path, "requestHeaders", index];
    if (!HEADER_NAME.test(header.name)) {
      context.issue([...at, "name"], `"${oneLine(header.name)}" is not an HTTP header name`);
      ok = false;
    } else if (names.has(header.name.toLowerCase())) {
      context.issue([...at, "name"], `request header ${header.name} is listed twice (names ignore case)`);
      ok = false;
    }
    names.add(header.name.toLowerCase());
    if ((header.value === undefined) === (header.celExpression === undefined)) {
      context.issue(
        at,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${ENV_VAR} syntax
        "a request header has either value (a ${ENV_VAR} reference) or celExpression, not both and not neither",
      );
      ok = false;
      return;
    }
    if (header.celExpression !== undefined) {
      headers.push({ name: header.name, celExpression: header.celExpression });
      return;
    }
    const valueEnv = secretReference(
      header.value ?? "",
      [...at, "value"],
      { name: "value", holds: "header value" },
      context,
    );
    if (valueEnv === undefined) ok = false;
    else headers.push({ name: header.name, valueEnv });
  });
  return { headers, ok };
}

function loadEntry(
  entry: Entry,
  path: readonly PathPart[],
  context: LoadContext,
): DesiredLlmIntegration | undefined {
  let ok = true;
  if (!isHttpUrl(entry.endpoint.trim())) {
    context.issue(
      [...path, "endpoint"],
      `endpoint must be an http(s) URL such as https://api.anthropic.com, got "${oneLine(entry.endpoint)}"`,
    );
    ok = false;
  }
  const models = loadModels(entry, path, context);
  const apiKeyEnv = secretReference(
    entry.apiKey,
    [...path, "apiKey"],
    { name: "apiKey", holds: "API key" },
    context,
  );
  const headers = loadHeaders(entry, path, context);
  if (!ok || !models || apiKeyEnv === undefined || !headers.ok) return undefined;
  const item = {
    endpoint: entry.endpoint.trim(),
    models: models.models,
    unknownModels: models.unknownModels,
    apiKeyEnv,
    maxTokens: entry.maxTokens,
    requestHeaders: headers.headers,
    enabled: entry.enabled,
  };
  return locatedItem<DesiredLlmIntegration>(item, path, context, FIELDS);
}

const HEADER_NAME_SCHEMA: JsonSchema = {
  type: "string",
  minLength: 1,
  maxLength: MAX_OTHER_LENGTH,
  pattern: HEADER_NAME.source,
};

/** A header has either a literal value (a reference) or a CEL expression. */
const HEADER_SCHEMA: JsonSchema = {
  oneOf: [
    {
      type: "object",
      additionalProperties: false,
      required: ["name", "value"],
      properties: {
        name: HEADER_NAME_SCHEMA,
        value: secretReferenceSchema(
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${ENV_VAR} syntax
          "A literal header value, as a ${ENV_VAR} reference: it is a credential like the API key.",
        ),
      },
    },
    {
      type: "object",
      additionalProperties: false,
      required: ["name", "celExpression"],
      properties: {
        name: HEADER_NAME_SCHEMA,
        celExpression: {
          type: "string",
          minLength: 1,
          maxLength: MAX_OTHER_LENGTH,
          description: "A CEL expression the service evaluates for each request (plain text, not a secret).",
        },
      },
    },
  ],
};

const ENTRY_SCHEMA: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["endpoint", "models", "apiKey"],
  properties: {
    endpoint: {
      type: "string",
      minLength: 1,
      maxLength: MAX_OTHER_LENGTH,
      pattern: "^\\s*[Hh][Tt][Tt][Pp][Ss]?://",
      description:
        "The provider's endpoint, an http(s) URL: the integration's identity within the runner (scheme and host ignore case, trailing slashes are dropped).",
    },
    models: {
      type: "array",
      minItems: 1,
      uniqueItems: true,
      items: {
        type: "string",
        pattern: WELL_FORMED_MODEL.source,
        description: "A SupportedModel name; the list grows, so names beyond these are allowed too.",
        examples: [...KNOWN_MODELS],
      },
    },
    apiKey: secretReferenceSchema(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's literal ${ENV_VAR} syntax
      "A ${ENV_VAR} reference; never the key itself. Sent when the integration is created (it is stored encrypted and cannot be compared).",
    ),
    maxTokens: {
      type: "integer",
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      default: 0,
      description: "The most tokens to generate before stopping; 0 is the model's default.",
    },
    requestHeaders: {
      type: "array",
      maxItems: 50,
      items: { $ref: "#/$defs/llmRequestHeader" },
      description:
        "Headers sent with each request to the provider. Left out: the runner's headers stay as they are.",
    },
    enabled: {
      type: "boolean",
      default: true,
      description: "false: the integration is disabled (phase DISABLED).",
    },
  },
};

/**
 * The variable an exported API key is referenced by (docs/cli.md): `LLM_API_KEY_<ENDPOINT HOST>`;
 * when an endpoint host has an integration on more than one exported runner, or more than one on
 * a runner, the runner id's first 8 characters and the exporter's `_2`, `_3` keep them apart.
 */
function apiKeyVariable(endpoint: string, runnerId: string, onSeveralRunners: boolean): string {
  let host = "";
  try {
    host = new URL(endpoint).hostname;
  } catch {
    host = endpoint;
  }
  const base = `LLM_API_KEY_${variablePart(host) || "ENDPOINT"}`;
  return onSeveralRunners ? `${base}_${variablePart(runnerId.slice(0, 8))}` : base;
}

/** A literal header's variable: `LLM_HEADER_<ENDPOINT HOST>_<HEADER NAME>`. */
function headerVariable(endpoint: string, header: string, runnerId: string, onSeveralRunners: boolean) {
  return apiKeyVariable(endpoint, runnerId, onSeveralRunners).replace(
    /^LLM_API_KEY_/,
    `LLM_HEADER_${variablePart(header) || "HEADER"}_`,
  );
}

/** On how many exported runners each endpoint host has an integration (counted once per export). */
const hostCountsOf = new WeakMap<readonly unknown[], Map<string, number>>();
function runnersPerEndpointHost(runners: readonly { llmIntegrations?: LlmIntegration[] }[]) {
  let counts = hostCountsOf.get(runners);
  if (!counts) {
    counts = new Map();
    for (const runner of runners) {
      const hosts = (runner.llmIntegrations ?? []).map((integration) => endpointHost(integration.endpoint));
      for (const host of new Set(hosts)) counts.set(host, (counts.get(host) ?? 0) + 1);
    }
    hostCountsOf.set(runners, counts);
  }
  return counts;
}

function endpointHost(endpoint: string | undefined): string {
  try {
    return new URL(endpoint ?? "").hostname.toLowerCase();
  } catch {
    return (endpoint ?? "").toLowerCase();
  }
}

export const DISABLED = "LLM_INTEGRATION_PHASE_DISABLED";

export const llmIntegrationFormat: FileFormat<
  DesiredLlmIntegration,
  "llmIntegrations",
  Entry,
  { llmIntegrations?: LlmIntegration[] }
> = {
  key: "llmIntegrations",
  entry: LlmIntegrationEntry,
  counted: "LLM integration(s)",
  jsonSchema: listSchema(
    "llmIntegration",
    ENTRY_SCHEMA,
    "LLM integrations (a runner's access to an LLM provider), matched by endpoint within the runner.",
    { llmRequestHeader: HEADER_SCHEMA },
  ),
  identity: {
    key: llmKey,
    field: "endpoint",
    duplicate: (entry) => `duplicate LLM integration for endpoint ${oneLine(entry.endpoint)} in this runner`,
  },
  loadEntry,
  exportedSecretsHeader: [
    "LLM API keys (and literal request-header values) cannot be read back from the API. Set these",
    "variables before plan/apply (plan and apply send a key only when they create the integration):",
  ],
  exportEntries(state, context) {
    const perHost = runnersPerEndpointHost(context.runners);
    const written = new Map<string, LlmIntegration>();
    const entries: Array<Record<string, unknown>> = [];
    for (const integration of state.llmIntegrations ?? []) {
      const endpoint = integration.endpoint ?? "";
      const what = `LLM integration ${oneLine(integration.id)} (${oneLine(endpoint) || "no endpoint"}) on runner ${state.runnerId}`;
      if (!isHttpUrl(endpoint)) {
        context.note(
          `${what} is left out: its endpoint is not an http(s) URL, which the file requires; plan and apply leave it alone, except that --prune would delete it.`,
        );
        continue;
      }
      const first = written.get(llmKey(integration));
      if (first) {
        context.note(
          `${what} is left out: a file holds one integration per endpoint in a runner, and ${oneLine(first.id)} is written; plan and apply leave it alone, except that --prune would delete it.`,
        );
        continue;
      }
      const models = integration.models.filter((model) => model !== UNSPECIFIED_MODEL);
      if (models.length === 0) {
        context.note(`${what} is left out: it lists no model, and the file needs at least one.`);
        continue;
      }
      written.set(llmKey(integration), integration);
      const several = (perHost.get(endpointHost(endpoint)) ?? 0) > 1;
      const variable = context.variable(apiKeyVariable(endpoint, state.runnerId, several));
      context.secret({
        variable,
        runnerId: state.runnerId,
        describes: `the API key of ${oneLine(endpoint)} on runner ${state.runnerId}`,
      });
      const entry: Record<string, unknown> = { endpoint, models, apiKey: referenceTo(variable) };
      if (integration.maxTokens > 0) entry.maxTokens = integration.maxTokens;
      if (integration.requestHeaders.length > 0) {
        entry.requestHeaders = integration.requestHeaders.map((header) => {
          if (header.headerType === CEL_EXPRESSION_HEADER)
            return { name: header.key, celExpression: header.value };
          const headerVar = context.variable(headerVariable(endpoint, header.key, state.runnerId, several));
          context.secret({
            variable: headerVar,
            runnerId: state.runnerId,
            describes: `request header ${oneLine(header.key)} of ${oneLine(endpoint)} on runner ${state.runnerId}`,
          });
          return { name: header.key, value: referenceTo(headerVar) };
        });
      }
      if (integration.phase === DISABLED) entry.enabled = false;
      entries.push(entry);
    }
    return entries;
  },
};
