/**
 * Wire schemas of gitpod.v1.RunnerConfigurationService (JSON, camelCase), one per request and
 * response, as described by the API reference in ../shared/spec/ (the 16 RPCs of the pages, and
 * the five LLM-integration RPCs of ona-api-today.md).
 *
 * Responses are parsed leniently on purpose: the API grows, so unknown fields are dropped
 * (zod's default object behaviour) and enum fields accept values this client does not know yet.
 * Requests are typed strictly by the same schemas so callers get compile-time help.
 */
import { z } from "zod";
import { REDACTED } from "../text/scrub.js";

/** An enum that tolerates values added to the API after this client was written. */
function openEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.union([z.enum(values), z.string()]) as unknown as z.ZodType<T[number] | (string & {})>;
}

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

export const FieldValue = z.object({
  key: z.string().optional(),
  value: z.string().optional(),
});
export type FieldValue = z.infer<typeof FieldValue>;

export const PaginationRequest = z.object({
  token: z.string().optional(),
  pageSize: z.number().int().optional(),
});
export type PaginationRequest = z.infer<typeof PaginationRequest>;

export const PaginationResponse = z.object({
  nextToken: z.string().optional(),
});
export type PaginationResponse = z.infer<typeof PaginationResponse>;

/** Update/Delete RPCs answer `{}`; anything else is tolerated and ignored. */
const EmptyResponse = z.object({});

// ---------------------------------------------------------------------------------------------
// ValidateRunnerConfiguration
// ---------------------------------------------------------------------------------------------

const EnvironmentClassInput = z.object({
  id: z.string().optional(),
  runnerId: z.string().optional(),
  displayName: z.string().optional(),
  description: z.string().optional(),
  configuration: z.array(FieldValue).optional(),
  enabled: z.boolean().optional(),
});

export const ScmIntegrationValidationInput = z.object({
  id: z.string().optional(),
  scmId: z.string().optional(),
  host: z.string().optional(),
  issuerUrl: z.string().optional(),
  oauthClientId: z.string().optional(),
  oauthEncryptedClientSecret: z.string().optional(),
  oauthPlaintextClientSecret: z.string().optional(),
  pat: z.boolean().optional(),
  virtualDirectory: z.string().optional(),
});
export type ScmIntegrationValidationInput = z.infer<typeof ScmIntegrationValidationInput>;

export const ValidateRunnerConfigurationRequest = z.object({
  runnerId: z.string().optional(),
  environmentClass: EnvironmentClassInput.optional(),
  scmIntegration: ScmIntegrationValidationInput.optional(),
});
export type ValidateRunnerConfigurationRequest = z.infer<typeof ValidateRunnerConfigurationRequest>;

const FieldValidationError = z.object({
  key: z.string().optional(),
  error: z.string().optional(),
});

const EnvironmentClassValidationResult = z.object({
  configurationErrors: z.array(FieldValidationError).optional(),
  descriptionError: z.string().optional(),
  displayNameError: z.string().optional(),
  valid: z.boolean().optional(),
});

export const ScmIntegrationValidationResult = z.object({
  hostError: z.string().optional(),
  oauthError: z.string().optional(),
  patError: z.string().optional(),
  scmIdError: z.string().optional(),
  valid: z.boolean().optional(),
});
export type ScmIntegrationValidationResult = z.infer<typeof ScmIntegrationValidationResult>;

export const ValidateRunnerConfigurationResponse = z.object({
  environmentClass: EnvironmentClassValidationResult.optional(),
  scmIntegration: ScmIntegrationValidationResult.optional(),
});
export type ValidateRunnerConfigurationResponse = z.infer<typeof ValidateRunnerConfigurationResponse>;

// ---------------------------------------------------------------------------------------------
// Environment classes
// ---------------------------------------------------------------------------------------------

export const EnvironmentClass = z.object({
  id: z.string(),
  runnerId: z.string(),
  configuration: z.array(FieldValue).optional(),
  description: z.string().optional(),
  displayName: z.string().optional(),
  enabled: z.boolean().optional(),
});
export type EnvironmentClass = z.infer<typeof EnvironmentClass>;

export const CreateEnvironmentClassRequest = z.object({
  runnerId: z.string(),
  displayName: z.string(),
  description: z.string().optional(),
  configuration: z.array(FieldValue).optional(),
});
export type CreateEnvironmentClassRequest = z.infer<typeof CreateEnvironmentClassRequest>;

/** The spec marks `id` optional (EnvironmentClassCreateResponse: `id: Optional[str]`). */
const CreateEnvironmentClassResponse = z.object({ id: z.string().optional() });

const RunnerKind = openEnum([
  "RUNNER_KIND_UNSPECIFIED",
  "RUNNER_KIND_LOCAL",
  "RUNNER_KIND_REMOTE",
  "RUNNER_KIND_LOCAL_CONFIGURATION",
]);
const RunnerProvider = openEnum([
  "RUNNER_PROVIDER_UNSPECIFIED",
  "RUNNER_PROVIDER_AWS_EC2",
  "RUNNER_PROVIDER_LINUX_HOST",
  "RUNNER_PROVIDER_DESKTOP_MAC",
  "RUNNER_PROVIDER_MANAGED",
  "RUNNER_PROVIDER_GCP",
  "RUNNER_PROVIDER_DEV_AGENT",
]);

const ListEnvironmentClassesFilter = z.object({
  runnerIds: z.array(z.string()).optional(),
  enabled: z.boolean().optional(),
  canCreateEnvironments: z.boolean().optional(),
  runnerKinds: z.array(RunnerKind).optional(),
  runnerProviders: z.array(RunnerProvider).optional(),
});

export const ListEnvironmentClassesRequest = z.object({
  filter: ListEnvironmentClassesFilter.optional(),
  pagination: PaginationRequest.optional(),
});
export type ListEnvironmentClassesRequest = z.infer<typeof ListEnvironmentClassesRequest>;

const ListEnvironmentClassesResponse = z.object({
  environmentClasses: z.array(EnvironmentClass).optional(),
  pagination: PaginationResponse.optional(),
});

export const GetEnvironmentClassRequest = z.object({ environmentClassId: z.string() });
export type GetEnvironmentClassRequest = z.infer<typeof GetEnvironmentClassRequest>;

const GetEnvironmentClassResponse = z.object({ environmentClass: EnvironmentClass.optional() });

export const UpdateEnvironmentClassRequest = z.object({
  environmentClassId: z.string(),
  displayName: z.string().optional(),
  description: z.string().optional(),
  enabled: z.boolean().optional(),
});
export type UpdateEnvironmentClassRequest = z.infer<typeof UpdateEnvironmentClassRequest>;

// ---------------------------------------------------------------------------------------------
// Host authentication tokens
// ---------------------------------------------------------------------------------------------

const HostAuthenticationTokenSource = openEnum([
  "HOST_AUTHENTICATION_TOKEN_SOURCE_UNSPECIFIED",
  "HOST_AUTHENTICATION_TOKEN_SOURCE_OAUTH",
  "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT",
]);

const Principal = openEnum([
  "PRINCIPAL_UNSPECIFIED",
  "PRINCIPAL_ACCOUNT",
  "PRINCIPAL_USER",
  "PRINCIPAL_RUNNER",
  "PRINCIPAL_ENVIRONMENT",
  "PRINCIPAL_SERVICE_ACCOUNT",
  "PRINCIPAL_RUNNER_MANAGER",
]);

const Subject = z.object({
  id: z.string().optional(),
  principal: Principal.optional(),
});

/** RFC 3339 timestamp, kept as the string the API sent. */
const Timestamp = z.string();

export const HostAuthenticationToken = z.object({
  id: z.string(),
  expiresAt: Timestamp.optional(),
  host: z.string().optional(),
  integrationId: z.string().optional(),
  runnerId: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  source: HostAuthenticationTokenSource.optional(),
  subject: Subject.optional(),
  userId: z.string().optional(),
});
export type HostAuthenticationToken = z.infer<typeof HostAuthenticationToken>;

export const CreateHostAuthenticationTokenRequest = z.object({
  runnerId: z.string(),
  host: z.string(),
  token: z.string(),
  source: HostAuthenticationTokenSource.optional(),
  expiresAt: Timestamp.optional(),
  refreshToken: z.string().optional(),
  integrationId: z.string().optional(),
  scopes: z.array(z.string()).max(101).optional(),
  subject: Subject.optional(),
  userId: z.string().optional(),
});
export type CreateHostAuthenticationTokenRequest = z.infer<typeof CreateHostAuthenticationTokenRequest>;

const CreateHostAuthenticationTokenResponse = z.object({ token: HostAuthenticationToken });

const ListHostAuthenticationTokensFilter = z.object({
  runnerId: z.string().optional(),
  subjectId: z.string().optional(),
  userId: z.string().optional(),
});

export const ListHostAuthenticationTokensRequest = z.object({
  filter: ListHostAuthenticationTokensFilter.optional(),
  pagination: PaginationRequest.optional(),
});
export type ListHostAuthenticationTokensRequest = z.infer<typeof ListHostAuthenticationTokensRequest>;

const ListHostAuthenticationTokensResponse = z.object({
  tokens: z.array(HostAuthenticationToken).optional(),
  pagination: PaginationResponse.optional(),
});

export const GetHostAuthenticationTokenRequest = z.object({ id: z.string() });
export type GetHostAuthenticationTokenRequest = z.infer<typeof GetHostAuthenticationTokenRequest>;

const GetHostAuthenticationTokenResponse = z.object({ token: HostAuthenticationToken });

export const UpdateHostAuthenticationTokenRequest = z.object({
  id: z.string(),
  token: z.string().optional(),
  refreshToken: z.string().optional(),
  expiresAt: Timestamp.optional(),
  scopes: z.array(z.string()).optional(),
});
export type UpdateHostAuthenticationTokenRequest = z.infer<typeof UpdateHostAuthenticationTokenRequest>;

export const DeleteHostAuthenticationTokenRequest = z.object({ id: z.string() });
export type DeleteHostAuthenticationTokenRequest = z.infer<typeof DeleteHostAuthenticationTokenRequest>;

// ---------------------------------------------------------------------------------------------
// Configuration schema
// ---------------------------------------------------------------------------------------------

const EnumValue = z.object({
  title: z.string().optional(),
  subtitle: z.string().optional(),
  detail: z.string().optional(),
});

/** One configurable field; exactly one of bool/display/enum/int/string says its kind. */
export const SchemaField = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  required: z.boolean().optional(),
  secret: z.boolean().optional(),
  bool: z.object({ default: z.boolean().optional() }).optional(),
  display: z.object({ default: z.string().optional() }).optional(),
  enum: z
    .object({
      default: z.string().optional(),
      defaultValue: EnumValue.optional(),
      possibleValues: z.array(EnumValue).optional(),
      values: z.array(z.string()).optional(),
    })
    .optional(),
  int: z
    .object({
      default: z.number().int().optional(),
      min: z.number().int().optional(),
      max: z.number().int().optional(),
    })
    .optional(),
  string: z.object({ default: z.string().optional(), pattern: z.string().optional() }).optional(),
});
export type SchemaField = z.infer<typeof SchemaField>;

const SchemaScm = z.object({
  scmId: z.string().optional(),
  name: z.string().optional(),
  defaultHosts: z.array(z.string()).optional(),
  oauth: z.object({ callbackUrl: z.string().optional() }).optional(),
  pat: z.object({ description: z.string().optional(), docsLink: z.string().optional() }).optional(),
});

export const RunnerConfigurationSchema = z.object({
  environmentClasses: z.array(SchemaField).optional(),
  runnerConfig: z.array(SchemaField).optional(),
  scm: z.array(SchemaScm).optional(),
  version: z.string().optional(),
});
export type RunnerConfigurationSchema = z.infer<typeof RunnerConfigurationSchema>;

export const GetRunnerConfigurationSchemaRequest = z.object({ runnerId: z.string() });
export type GetRunnerConfigurationSchemaRequest = z.infer<typeof GetRunnerConfigurationSchemaRequest>;

/** A runner may report no schema: `schema: Optional[RunnerConfigurationSchema]`. */
const GetRunnerConfigurationSchemaResponse = z.object({
  schema: RunnerConfigurationSchema.optional(),
});

// ---------------------------------------------------------------------------------------------
// SCM integrations
// ---------------------------------------------------------------------------------------------

const ScmIntegrationOAuthConfig = z.object({
  clientId: z.string().optional(),
  /** base64 RSA-OAEP ciphertext made with the runner's public key; never the plaintext. */
  encryptedClientSecret: z.string().optional(),
  issuerUrl: z.string().optional(),
});

/** On the wire every field is optional (the spec marks `id` and `runner_id` optional too). */
export const ScmIntegrationWire = z.object({
  id: z.string().optional(),
  runnerId: z.string().optional(),
  scmId: z.string().optional(),
  host: z.string().optional(),
  oauth: ScmIntegrationOAuthConfig.nullable().optional(),
  pat: z.boolean().optional(),
  virtualDirectory: z.string().optional(),
});
export type ScmIntegrationWire = z.infer<typeof ScmIntegrationWire>;

/**
 * What the client hands out: `id` and `runnerId` are always strings. The resource fills `runnerId`
 * from a one-runner filter when the API left it out; otherwise a missing one is "", and so is a
 * missing `id` (such an integration cannot be updated or deleted, and callers say so).
 */
export type ScmIntegration = Omit<ScmIntegrationWire, "id" | "runnerId"> & { id: string; runnerId: string };

export const CreateScmIntegrationRequest = z.object({
  runnerId: z.string(),
  scmId: z.string(),
  host: z.string(),
  issuerUrl: z.string().optional(),
  oauthClientId: z.string().optional(),
  oauthPlaintextClientSecret: z.string().optional(),
  pat: z.boolean().optional(),
  virtualDirectory: z.string().optional(),
});
export type CreateScmIntegrationRequest = z.infer<typeof CreateScmIntegrationRequest>;

const CreateScmIntegrationResponse = z.object({ id: z.string().optional() });

const ListScmIntegrationsFilter = z.object({
  runnerIds: z.array(z.string()).optional(),
});

export const ListScmIntegrationsRequest = z.object({
  filter: ListScmIntegrationsFilter.optional(),
  pagination: PaginationRequest.optional(),
});
export type ListScmIntegrationsRequest = z.infer<typeof ListScmIntegrationsRequest>;

const ListScmIntegrationsResponse = z.object({
  integrations: z.array(ScmIntegrationWire).optional(),
  pagination: PaginationResponse.optional(),
});

export const GetScmIntegrationRequest = z.object({ id: z.string() });
export type GetScmIntegrationRequest = z.infer<typeof GetScmIntegrationRequest>;

const GetScmIntegrationResponse = z.object({ integration: ScmIntegrationWire.optional() });

export const UpdateScmIntegrationRequest = z.object({
  id: z.string(),
  issuerUrl: z.string().optional(),
  /** "" removes OAuth and deletes the runner's and host's OAuth-sourced host tokens. */
  oauthClientId: z.string().optional(),
  oauthPlaintextClientSecret: z.string().optional(),
  /** false deletes the runner's and host's PAT-sourced host tokens. */
  pat: z.boolean().optional(),
  virtualDirectory: z.string().optional(),
});
export type UpdateScmIntegrationRequest = z.infer<typeof UpdateScmIntegrationRequest>;

export const DeleteScmIntegrationRequest = z.object({ id: z.string() });
export type DeleteScmIntegrationRequest = z.infer<typeof DeleteScmIntegrationRequest>;

// ---------------------------------------------------------------------------------------------
// LLM integrations (ona-api-today.md: the service's five newer RPCs)
// ---------------------------------------------------------------------------------------------

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

const CreateLlmIntegrationResponse = z.object({ id: z.string().optional() });

export const ListLlmIntegrationsRequest = z.object({
  filter: z.object({ runnerIds: z.array(z.string()).max(25).optional() }).optional(),
  pagination: PaginationRequest.optional(),
});
export type ListLlmIntegrationsRequest = z.input<typeof ListLlmIntegrationsRequest>;

const ListLlmIntegrationsResponse = z.object({
  integrations: z.array(LlmIntegrationWire).optional(),
  pagination: PaginationResponse.optional(),
  /** Deprecated by the service. */
  llmManagedByOna: z.boolean().optional(),
  onaIntelligenceProviders: z.array(LlmProvider).optional(),
});

export const GetLlmIntegrationRequest = z.object({ id: z.string() });
export type GetLlmIntegrationRequest = z.input<typeof GetLlmIntegrationRequest>;

const GetLlmIntegrationResponse = z.object({ integration: LlmIntegrationWire.optional() });

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

// ---------------------------------------------------------------------------------------------
// The service: every RPC with its request and response schema, and whether it creates.
// ---------------------------------------------------------------------------------------------

export const SERVICE = "gitpod.v1.RunnerConfigurationService";

export const RPCS = {
  ValidateRunnerConfiguration: {
    request: ValidateRunnerConfigurationRequest,
    response: ValidateRunnerConfigurationResponse,
    creates: false,
  },
  CreateEnvironmentClass: {
    request: CreateEnvironmentClassRequest,
    response: CreateEnvironmentClassResponse,
    creates: true,
  },
  ListEnvironmentClasses: {
    request: ListEnvironmentClassesRequest,
    response: ListEnvironmentClassesResponse,
    creates: false,
  },
  GetEnvironmentClass: {
    request: GetEnvironmentClassRequest,
    response: GetEnvironmentClassResponse,
    creates: false,
  },
  UpdateEnvironmentClass: { request: UpdateEnvironmentClassRequest, response: EmptyResponse, creates: false },
  CreateHostAuthenticationToken: {
    request: CreateHostAuthenticationTokenRequest,
    response: CreateHostAuthenticationTokenResponse,
    creates: true,
  },
  ListHostAuthenticationTokens: {
    request: ListHostAuthenticationTokensRequest,
    response: ListHostAuthenticationTokensResponse,
    creates: false,
  },
  GetHostAuthenticationToken: {
    request: GetHostAuthenticationTokenRequest,
    response: GetHostAuthenticationTokenResponse,
    creates: false,
  },
  UpdateHostAuthenticationToken: {
    request: UpdateHostAuthenticationTokenRequest,
    response: EmptyResponse,
    creates: false,
  },
  DeleteHostAuthenticationToken: {
    request: DeleteHostAuthenticationTokenRequest,
    response: EmptyResponse,
    creates: false,
  },
  GetRunnerConfigurationSchema: {
    request: GetRunnerConfigurationSchemaRequest,
    response: GetRunnerConfigurationSchemaResponse,
    creates: false,
  },
  CreateSCMIntegration: {
    request: CreateScmIntegrationRequest,
    response: CreateScmIntegrationResponse,
    creates: true,
  },
  ListSCMIntegrations: {
    request: ListScmIntegrationsRequest,
    response: ListScmIntegrationsResponse,
    creates: false,
  },
  GetSCMIntegration: {
    request: GetScmIntegrationRequest,
    response: GetScmIntegrationResponse,
    creates: false,
  },
  UpdateSCMIntegration: { request: UpdateScmIntegrationRequest, response: EmptyResponse, creates: false },
  DeleteSCMIntegration: { request: DeleteScmIntegrationRequest, response: EmptyResponse, creates: false },
  CreateLLMIntegration: {
    request: CreateLlmIntegrationRequest,
    response: CreateLlmIntegrationResponse,
    creates: true,
  },
  ListLLMIntegrations: {
    request: ListLlmIntegrationsRequest,
    response: ListLlmIntegrationsResponse,
    creates: false,
  },
  GetLLMIntegration: {
    request: GetLlmIntegrationRequest,
    response: GetLlmIntegrationResponse,
    creates: false,
  },
  UpdateLLMIntegration: { request: UpdateLlmIntegrationRequest, response: EmptyResponse, creates: false },
  DeleteLLMIntegration: { request: DeleteLlmIntegrationRequest, response: EmptyResponse, creates: false },
} as const;

export type RpcName = keyof typeof RPCS;
export type RpcResponse<N extends RpcName> = z.output<(typeof RPCS)[N]["response"]>;
export const RPC_NAMES = Object.keys(RPCS) as RpcName[];

/** Fields whose values are secrets: never logged, never shown, never put in an error. */
export const SECRET_FIELDS = ["oauthPlaintextClientSecret", "token", "refreshToken", "apiKey"] as const;

/**
 * Lists of LLM request headers: each literal value (every header type but CEL_EXPRESSION) is a
 * secret like the API key, in plain text and in the base64 form it takes on the wire.
 */
export const SECRET_HEADER_LISTS = ["requestHeaders"] as const;
