/** LLM integrations on the wire (ona-api-today.md: the service's five newer RPCs); the API key and literal header values are secrets. */
import { z } from "zod";
import { REDACTED } from "../../text/scrub.js";
import { openEnum, PaginationRequest, PaginationResponse } from "./common.wire.js";

/** SupportedModel by name (protojson writes enums by name); the list grows, so others pass too. */
const SUPPORTED_MODELS = [
  "SUPPORTED_MODEL_UNSPECIFIED",
  "SUPPORTED_MODEL_SONNET_3_5",
  "SUPPORTED_MODEL_SONNET_3_7",
  "SUPPORTED_MODEL_SONNET_3_7_EXTENDED",
  "SUPPORTED_MODEL_SONNET_4",
  "SUPPORTED_MODEL_SONNET_4_EXTENDED",
  "SUPPORTED_MODEL_OPUS_4",
  "SUPPORTED_MODEL_OPUS_4_EXTENDED",
  "SUPPORTED_MODEL_SONNET_4_5",
  "SUPPORTED_MODEL_SONNET_4_5_EXTENDED",
  "SUPPORTED_MODEL_OPENAI_4O",
  "SUPPORTED_MODEL_OPENAI_4O_MINI",
  "SUPPORTED_MODEL_OPENAI_O1",
  "SUPPORTED_MODEL_OPENAI_O1_MINI",
  "SUPPORTED_MODEL_OPUS_4_5",
  "SUPPORTED_MODEL_OPUS_4_5_EXTENDED",
  "SUPPORTED_MODEL_OPUS_4_6",
  "SUPPORTED_MODEL_OPUS_4_6_EXTENDED",
  "SUPPORTED_MODEL_SONNET_4_6",
  "SUPPORTED_MODEL_SONNET_4_6_EXTENDED",
  "SUPPORTED_MODEL_HAIKU_4_5",
  "SUPPORTED_MODEL_OPUS_4_7",
  "SUPPORTED_MODEL_OPENAI_AUTO",
  "SUPPORTED_MODEL_OPUS_4_8",
  "SUPPORTED_MODEL_SONNET_5",
] as const;
const SupportedModel = openEnum(SUPPORTED_MODELS);

const LLM_INTEGRATION_PHASES = [
  "LLM_INTEGRATION_PHASE_UNSPECIFIED",
  "LLM_INTEGRATION_PHASE_AVAILABLE",
  "LLM_INTEGRATION_PHASE_UNAVAILABLE",
  "LLM_INTEGRATION_PHASE_DISABLED",
] as const;
const LlmIntegrationPhase = openEnum(LLM_INTEGRATION_PHASES);

const LLM_HEADER_TYPES = [
  "LLM_INTEGRATION_REQUEST_HEADER_TYPE_UNSPECIFIED",
  "LLM_INTEGRATION_REQUEST_HEADER_TYPE_LITERAL",
  "LLM_INTEGRATION_REQUEST_HEADER_TYPE_CEL_EXPRESSION",
] as const;
/** The one header type whose value is not a secret: an expression the service evaluates. */
export const CEL_EXPRESSION_HEADER = "LLM_INTEGRATION_REQUEST_HEADER_TYPE_CEL_EXPRESSION";

const LlmProvider = openEnum(["LLM_PROVIDER_UNSPECIFIED", "LLM_PROVIDER_ANTHROPIC", "LLM_PROVIDER_OPENAI"]);

/** uint64 in: a non-negative safe integer (or its decimal string); on the wire: a decimal string. */
const Uint64Request = z
  .union([z.number(), z.string().regex(/^\d+$/)])
  .transform(Number)
  .pipe(z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER))
  .transform(String);

/** uint64 out: protojson writes a string (a number is tolerated); beyond 2^53 cannot be held exactly. */
const Uint64Response = z
  .union([z.string().regex(/^\d+$/), z.number().int().nonnegative()])
  .transform((value, context) => {
    const number = Number(value);
    if (!Number.isSafeInteger(number)) {
      context.addIssue({ code: "custom", message: "a uint64 beyond 2^53 cannot be held exactly" });
      return z.NEVER;
    }
    return number;
  });

/**
 * A request header as callers give it: the value in plain text (the client sends it as protojson
 * bytes, base64). A literal value (every type but CEL_EXPRESSION: the service treats unspecified
 * as literal) is a secret, scrubbed like the API key.
 */
const LlmRequestHeaderInput = z
  .object({
    key: z.string().min(1),
    value: z.string(),
    headerType: openEnum(LLM_HEADER_TYPES).optional(),
  })
  .transform(({ key, value, headerType }) => ({
    key,
    value: Buffer.from(value, "utf8").toString("base64"),
    ...(headerType === undefined ? {} : { headerType }),
  }));

/**
 * A request header as the client hands it out: a CEL expression in plain text; a literal value is
 * never handed out (it is a credential, like the key), so `value` is REDACTED.
 */
const LlmRequestHeader = z
  .object({
    key: z.string().optional(),
    value: z.string().optional(),
    headerType: openEnum(LLM_HEADER_TYPES).optional(),
  })
  .transform(({ key, value, headerType }) => ({
    key: key ?? "",
    headerType: headerType ?? "LLM_INTEGRATION_REQUEST_HEADER_TYPE_UNSPECIFIED",
    value:
      headerType === CEL_EXPRESSION_HEADER ? Buffer.from(value ?? "", "base64").toString("utf8") : REDACTED,
  }));
type LlmRequestHeader = z.output<typeof LlmRequestHeader>;

const LlmIntegrationWire = z.object({
  id: z.string().optional(),
  runnerId: z.string().optional(),
  models: z.array(SupportedModel).optional(),
  endpoint: z.string().optional(),
  /** base64 ciphertext made with the runner's public key; never the key itself. */
  encryptedApiKey: z.string().optional(),
  maxTokens: Uint64Response.optional(),
  phase: LlmIntegrationPhase.optional(),
  phaseReason: z.string().optional(),
  requestHeaders: z.array(LlmRequestHeader).optional(),
  provider: LlmProvider.optional(),
});

/** What the client hands out: ids always strings ("" when the API left one out), lists always lists. */
export type LlmIntegration = Omit<
  z.output<typeof LlmIntegrationWire>,
  "id" | "runnerId" | "models" | "requestHeaders" | "maxTokens"
> & {
  id: string;
  runnerId: string;
  models: string[];
  requestHeaders: LlmRequestHeader[];
  /** 0 is the model's default. */
  maxTokens: number;
};
export type LlmIntegrationWire = z.output<typeof LlmIntegrationWire>;

export const CreateLlmIntegrationRequest = z.object({
  runnerId: z.string(),
  models: z.array(SupportedModel).min(1),
  endpoint: z.string().optional(),
  /** Never "": an integration without a key cannot reach its provider. */
  apiKey: z.string().min(1).optional(),
  maxTokens: Uint64Request.optional(),
});
export type CreateLlmIntegrationRequest = z.input<typeof CreateLlmIntegrationRequest>;

export const CreateLlmIntegrationResponse = z.object({ id: z.string().optional() });

export const ListLlmIntegrationsRequest = z.object({
  filter: z.object({ runnerIds: z.array(z.string()).max(25).optional() }).optional(),
  pagination: PaginationRequest.optional(),
});
export type ListLlmIntegrationsRequest = z.input<typeof ListLlmIntegrationsRequest>;

export const ListLlmIntegrationsResponse = z.object({
  integrations: z.array(LlmIntegrationWire).optional(),
  pagination: PaginationResponse.optional(),
  /** Deprecated by the service. */
  llmManagedByOna: z.boolean().optional(),
  onaIntelligenceProviders: z.array(LlmProvider).optional(),
});

export const GetLlmIntegrationRequest = z.object({ id: z.string() });
export type GetLlmIntegrationRequest = z.input<typeof GetLlmIntegrationRequest>;

export const GetLlmIntegrationResponse = z.object({ integration: LlmIntegrationWire.optional() });

/**
 * Proto3 repeated fields have no presence: an empty `models` or `requestHeaders` cannot be told
 * from "unchanged" on the wire, so the client refuses to send one (leave the field out instead).
 */
const NON_EMPTY_UPDATE = "an empty list cannot be told from 'unchanged' on the wire: leave the field out";
export const UpdateLlmIntegrationRequest = z.object({
  id: z.string(),
  endpoint: z.string().optional(),
  models: z.array(SupportedModel).min(1, NON_EMPTY_UPDATE).optional(),
  /** Rotates the key; never "" (that would leave the integration without one). */
  apiKey: z.string().min(1).optional(),
  maxTokens: Uint64Request.optional(),
  phase: LlmIntegrationPhase.optional(),
  requestHeaders: z.array(LlmRequestHeaderInput).min(1, NON_EMPTY_UPDATE).optional(),
});
export type UpdateLlmIntegrationRequest = z.input<typeof UpdateLlmIntegrationRequest>;

export const DeleteLlmIntegrationRequest = z.object({ id: z.string(), force: z.boolean().optional() });
export type DeleteLlmIntegrationRequest = z.input<typeof DeleteLlmIntegrationRequest>;
