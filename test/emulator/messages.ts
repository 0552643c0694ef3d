/**
 * The emulator's own description of gitpod.v1.RunnerConfigurationService, written from the API
 * reference pages of the spec folder (not from the product's client, so the two can disagree).
 * Field names are the proto names of the pages (snake_case, as the Python page spells them); the
 * JSON name is their lowerCamelCase form, as protojson derives it.
 */

export const SERVICE = "gitpod.v1.RunnerConfigurationService";

// ---------------------------------------------------------------------------------------------
// Message types the handlers read (decoded requests: absent fields are undefined)
// ---------------------------------------------------------------------------------------------

export interface FieldValue {
  key?: string;
  value?: string;
}

export interface PaginationRequest {
  token?: string;
  pageSize?: number;
}

interface EnvironmentClassMessage {
  id?: string;
  runnerId?: string;
  configuration?: FieldValue[];
  description?: string;
  displayName?: string;
  enabled?: boolean;
}

export interface ScmIntegrationValidationInput {
  id?: string;
  host?: string;
  issuerUrl?: string;
  oauthClientId?: string;
  oauthEncryptedClientSecret?: string;
  oauthPlaintextClientSecret?: string;
  pat?: boolean;
  scmId?: string;
  virtualDirectory?: string;
}

export type HostAuthenticationTokenSource =
  | "HOST_AUTHENTICATION_TOKEN_SOURCE_UNSPECIFIED"
  | "HOST_AUTHENTICATION_TOKEN_SOURCE_OAUTH"
  | "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT";

export interface Subject {
  id?: string;
  principal?: string;
}

interface EnumValue {
  title?: string;
  subtitle?: string;
  detail?: string;
}

/** One field of a runner configuration schema; one of bool/display/enum/int/string gives its kind. */
export interface SchemaField {
  id?: string;
  name?: string;
  description?: string;
  required?: boolean;
  secret?: boolean;
  bool?: { default?: boolean };
  display?: { default?: string };
  enum?: { default?: string; defaultValue?: EnumValue; possibleValues?: EnumValue[]; values?: string[] };
  int?: { default?: number; min?: number; max?: number };
  string?: { default?: string; pattern?: string };
}

export interface SchemaScm {
  scmId?: string;
  name?: string;
  defaultHosts?: string[];
  oauth?: { callbackUrl?: string };
  pat?: { description?: string; docsLink?: string };
}

export interface RunnerConfigurationSchema {
  environmentClasses?: SchemaField[];
  runnerConfig?: SchemaField[];
  scm?: SchemaScm[];
  version?: string;
}

export interface Requests {
  ValidateRunnerConfiguration: {
    runnerId?: string;
    environmentClass?: EnvironmentClassMessage;
    scmIntegration?: ScmIntegrationValidationInput;
  };
  CreateEnvironmentClass: {
    runnerId?: string;
    displayName?: string;
    description?: string;
    configuration?: FieldValue[];
  };
  ListEnvironmentClasses: {
    filter?: {
      canCreateEnvironments?: boolean;
      enabled?: boolean;
      runnerIds?: string[];
      runnerKinds?: string[];
      runnerProviders?: string[];
    };
    pagination?: PaginationRequest;
  };
  GetEnvironmentClass: { environmentClassId?: string };
  UpdateEnvironmentClass: {
    environmentClassId?: string;
    description?: string;
    displayName?: string;
    enabled?: boolean;
  };
  CreateHostAuthenticationToken: {
    token?: string;
    expiresAt?: string;
    host?: string;
    integrationId?: string;
    refreshToken?: string;
    runnerId?: string;
    scopes?: string[];
    source?: HostAuthenticationTokenSource;
    subject?: Subject;
    userId?: string;
  };
  ListHostAuthenticationTokens: {
    filter?: { runnerId?: string; subjectId?: string; userId?: string };
    pagination?: PaginationRequest;
  };
  GetHostAuthenticationToken: { id?: string };
  UpdateHostAuthenticationToken: {
    id?: string;
    token?: string;
    expiresAt?: string;
    refreshToken?: string;
    scopes?: string[];
  };
  DeleteHostAuthenticationToken: { id?: string };
  GetRunnerConfigurationSchema: { runnerId?: string };
  CreateSCMIntegration: {
    host?: string;
    issuerUrl?: string;
    oauthClientId?: string;
    oauthPlaintextClientSecret?: string;
    pat?: boolean;
    runnerId?: string;
    scmId?: string;
    virtualDirectory?: string;
  };
  ListSCMIntegrations: { filter?: { runnerIds?: string[] }; pagination?: PaginationRequest };
  GetSCMIntegration: { id?: string };
  UpdateSCMIntegration: {
    id?: string;
    issuerUrl?: string;
    oauthClientId?: string;
    oauthPlaintextClientSecret?: string;
    pat?: boolean;
    virtualDirectory?: string;
  };
  DeleteSCMIntegration: { id?: string };
  CreateLLMIntegration: {
    runnerId?: string;
    models?: string[];
    endpoint?: string;
    apiKey?: string;
    maxTokens?: bigint;
  };
  GetLLMIntegration: { id?: string };
  ListLLMIntegrations: { filter?: { runnerIds?: string[] }; pagination?: PaginationRequest };
  UpdateLLMIntegration: {
    id?: string;
    endpoint?: string;
    models?: string[];
    apiKey?: string;
    maxTokens?: bigint;
    phase?: string;
    requestHeaders?: LlmRequestHeader[];
  };
  DeleteLLMIntegration: { id?: string; force?: boolean };
}

/** `value` is protojson bytes: base64 as it arrived. */
interface LlmRequestHeader {
  key?: string;
  value?: string;
  headerType?: string;
}

export type RpcName = keyof Requests;

// ---------------------------------------------------------------------------------------------
// Descriptors: what the protojson decoder needs to read each request
// ---------------------------------------------------------------------------------------------

export type ScalarKind = "string" | "bool" | "int32" | "int64" | "uint64" | "bytes" | "timestamp";

/**
 * An enum's value names indexed by number (holes where a number is not defined). `definedOnly`:
 * the service's rule `(buf.validate.field).enum.defined_only`, so a number it does not define is
 * invalid_argument instead of being kept as an unknown value.
 */
export type EnumKind = { enum: readonly (string | undefined)[]; definedOnly?: boolean };

type FieldKind = { scalar: ScalarKind } | EnumKind | { message: () => MessageDescriptor };

export interface FieldDescriptor {
  /** proto name, snake_case */
  proto: string;
  /** JSON name, lowerCamelCase */
  json: string;
  kind: FieldKind;
  repeated: boolean;
}

export interface MessageDescriptor {
  name: string;
  fields: FieldDescriptor[];
}

type FieldSpec = ScalarKind | `${ScalarKind}[]` | FieldKind | { repeated: FieldKind };

function jsonName(proto: string): string {
  return proto.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function message(name: string, spec: Record<string, FieldSpec>): MessageDescriptor {
  const fields = Object.entries(spec).map(([proto, field]): FieldDescriptor => {
    if (typeof field === "string") {
      const repeated = field.endsWith("[]");
      const scalar = (repeated ? field.slice(0, -2) : field) as ScalarKind;
      return { proto, json: jsonName(proto), kind: { scalar }, repeated };
    }
    if ("repeated" in field) return { proto, json: jsonName(proto), kind: field.repeated, repeated: true };
    return { proto, json: jsonName(proto), kind: field, repeated: false };
  });
  return { name, fields };
}

const TOKEN_SOURCES = [
  "HOST_AUTHENTICATION_TOKEN_SOURCE_UNSPECIFIED",
  "HOST_AUTHENTICATION_TOKEN_SOURCE_OAUTH",
  "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT",
] as const;
const PRINCIPALS = [
  "PRINCIPAL_UNSPECIFIED",
  "PRINCIPAL_ACCOUNT",
  "PRINCIPAL_USER",
  "PRINCIPAL_RUNNER",
  "PRINCIPAL_ENVIRONMENT",
  "PRINCIPAL_SERVICE_ACCOUNT",
  "PRINCIPAL_RUNNER_MANAGER",
] as const;
const RUNNER_KINDS = [
  "RUNNER_KIND_UNSPECIFIED",
  "RUNNER_KIND_LOCAL",
  "RUNNER_KIND_REMOTE",
  "RUNNER_KIND_LOCAL_CONFIGURATION",
] as const;
const RUNNER_PROVIDERS = [
  "RUNNER_PROVIDER_UNSPECIFIED",
  "RUNNER_PROVIDER_AWS_EC2",
  "RUNNER_PROVIDER_LINUX_HOST",
  "RUNNER_PROVIDER_DESKTOP_MAC",
  "RUNNER_PROVIDER_MANAGED",
  "RUNNER_PROVIDER_GCP",
  "RUNNER_PROVIDER_DEV_AGENT",
] as const;

/** An enum's names placed at their numbers. */
function numbered(entries: ReadonlyArray<readonly [string, number]>): (string | undefined)[] {
  const values: (string | undefined)[] = [];
  for (const [name, number] of entries) values[number] = name;
  return values;
}

/** SupportedModel (ona-api-today.md, from the SDK's model_pb.d.ts): the numbers have gaps. */
const SUPPORTED_MODELS = numbered([
  ["SUPPORTED_MODEL_UNSPECIFIED", 0],
  ["SUPPORTED_MODEL_SONNET_3_5", 1],
  ["SUPPORTED_MODEL_SONNET_3_7", 2],
  ["SUPPORTED_MODEL_SONNET_3_7_EXTENDED", 3],
  ["SUPPORTED_MODEL_SONNET_4", 4],
  ["SUPPORTED_MODEL_SONNET_4_EXTENDED", 5],
  ["SUPPORTED_MODEL_OPUS_4", 6],
  ["SUPPORTED_MODEL_OPUS_4_EXTENDED", 7],
  ["SUPPORTED_MODEL_SONNET_4_5", 8],
  ["SUPPORTED_MODEL_SONNET_4_5_EXTENDED", 9],
  ["SUPPORTED_MODEL_OPENAI_4O", 10],
  ["SUPPORTED_MODEL_OPENAI_4O_MINI", 11],
  ["SUPPORTED_MODEL_OPENAI_O1", 12],
  ["SUPPORTED_MODEL_OPENAI_O1_MINI", 13],
  ["SUPPORTED_MODEL_OPUS_4_5", 14],
  ["SUPPORTED_MODEL_OPUS_4_5_EXTENDED", 15],
  ["SUPPORTED_MODEL_OPUS_4_6", 16],
  ["SUPPORTED_MODEL_OPUS_4_6_EXTENDED", 17],
  ["SUPPORTED_MODEL_SONNET_4_6", 18],
  ["SUPPORTED_MODEL_SONNET_4_6_EXTENDED", 19],
  ["SUPPORTED_MODEL_HAIKU_4_5", 21],
  ["SUPPORTED_MODEL_OPUS_4_7", 22],
  ["SUPPORTED_MODEL_OPENAI_AUTO", 23],
  ["SUPPORTED_MODEL_OPUS_4_8", 31],
  ["SUPPORTED_MODEL_SONNET_5", 32],
]);
const LLM_INTEGRATION_PHASES = [
  "LLM_INTEGRATION_PHASE_UNSPECIFIED",
  "LLM_INTEGRATION_PHASE_AVAILABLE",
  "LLM_INTEGRATION_PHASE_UNAVAILABLE",
  "LLM_INTEGRATION_PHASE_DISABLED",
] as const;
export type LlmIntegrationPhase = (typeof LLM_INTEGRATION_PHASES)[number];
const LLM_HEADER_TYPES = [
  "LLM_INTEGRATION_REQUEST_HEADER_TYPE_UNSPECIFIED",
  "LLM_INTEGRATION_REQUEST_HEADER_TYPE_LITERAL",
  "LLM_INTEGRATION_REQUEST_HEADER_TYPE_CEL_EXPRESSION",
] as const;

const FieldValueMessage = message("FieldValue", { key: "string", value: "string" });
const PaginationMessage = message("PaginationRequest", { token: "string", page_size: "int32" });
const SubjectMessage = message("Subject", {
  id: "string",
  principal: { enum: PRINCIPALS, definedOnly: true },
});
const EnvironmentClassDescriptor = message("EnvironmentClass", {
  id: "string",
  runner_id: "string",
  configuration: { repeated: { message: () => FieldValueMessage } },
  description: "string",
  display_name: "string",
  enabled: "bool",
});
const ScmValidationDescriptor = message("ValidateRunnerConfigurationRequest.ScmIntegration", {
  id: "string",
  host: "string",
  issuer_url: "string",
  oauth_client_id: "string",
  oauth_encrypted_client_secret: "string",
  oauth_plaintext_client_secret: "string",
  pat: "bool",
  scm_id: "string",
  virtual_directory: "string",
});
const pagination = { message: () => PaginationMessage };
const idOnly = (name: string) => message(name, { id: "string" });

export const REQUESTS: { [N in RpcName]: MessageDescriptor } = {
  ValidateRunnerConfiguration: message("ValidateRunnerConfigurationRequest", {
    environment_class: { message: () => EnvironmentClassDescriptor },
    runner_id: "string",
    scm_integration: { message: () => ScmValidationDescriptor },
  }),
  CreateEnvironmentClass: message("CreateEnvironmentClassRequest", {
    configuration: { repeated: { message: () => FieldValueMessage } },
    description: "string",
    display_name: "string",
    runner_id: "string",
  }),
  ListEnvironmentClasses: message("ListEnvironmentClassesRequest", {
    filter: {
      message: () =>
        message("ListEnvironmentClassesRequest.Filter", {
          can_create_environments: "bool",
          enabled: "bool",
          runner_ids: "string[]",
          runner_kinds: { repeated: { enum: RUNNER_KINDS } },
          runner_providers: { repeated: { enum: RUNNER_PROVIDERS } },
        }),
    },
    pagination,
  }),
  GetEnvironmentClass: message("GetEnvironmentClassRequest", { environment_class_id: "string" }),
  UpdateEnvironmentClass: message("UpdateEnvironmentClassRequest", {
    description: "string",
    display_name: "string",
    enabled: "bool",
    environment_class_id: "string",
  }),
  CreateHostAuthenticationToken: message("CreateHostAuthenticationTokenRequest", {
    token: "string",
    expires_at: "timestamp",
    host: "string",
    integration_id: "string",
    refresh_token: "string",
    runner_id: "string",
    scopes: "string[]",
    source: { enum: TOKEN_SOURCES, definedOnly: true },
    subject: { message: () => SubjectMessage },
    user_id: "string",
  }),
  ListHostAuthenticationTokens: message("ListHostAuthenticationTokensRequest", {
    filter: {
      message: () =>
        message("ListHostAuthenticationTokensRequest.Filter", {
          runner_id: "string",
          subject_id: "string",
          user_id: "string",
        }),
    },
    pagination,
  }),
  GetHostAuthenticationToken: idOnly("GetHostAuthenticationTokenRequest"),
  UpdateHostAuthenticationToken: message("UpdateHostAuthenticationTokenRequest", {
    id: "string",
    token: "string",
    expires_at: "timestamp",
    refresh_token: "string",
    scopes: "string[]",
  }),
  DeleteHostAuthenticationToken: idOnly("DeleteHostAuthenticationTokenRequest"),
  GetRunnerConfigurationSchema: message("GetRunnerConfigurationSchemaRequest", { runner_id: "string" }),
  CreateSCMIntegration: message("CreateSCMIntegrationRequest", {
    host: "string",
    issuer_url: "string",
    oauth_client_id: "string",
    oauth_plaintext_client_secret: "string",
    pat: "bool",
    runner_id: "string",
    scm_id: "string",
    virtual_directory: "string",
  }),
  ListSCMIntegrations: message("ListSCMIntegrationsRequest", {
    filter: { message: () => message("ListSCMIntegrationsRequest.Filter", { runner_ids: "string[]" }) },
    pagination,
  }),
  GetSCMIntegration: idOnly("GetSCMIntegrationRequest"),
  UpdateSCMIntegration: message("UpdateSCMIntegrationRequest", {
    id: "string",
    issuer_url: "string",
    oauth_client_id: "string",
    oauth_plaintext_client_secret: "string",
    pat: "bool",
    virtual_directory: "string",
  }),
  DeleteSCMIntegration: idOnly("DeleteSCMIntegrationRequest"),
  CreateLLMIntegration: message("CreateLLMIntegrationRequest", {
    runner_id: "string",
    models: { repeated: { enum: SUPPORTED_MODELS, definedOnly: true } },
    endpoint: "string",
    api_key: "string",
    max_tokens: "uint64",
  }),
  GetLLMIntegration: idOnly("GetLLMIntegrationRequest"),
  ListLLMIntegrations: message("ListLLMIntegrationsRequest", {
    filter: { message: () => message("ListLLMIntegrationsRequest.Filter", { runner_ids: "string[]" }) },
    pagination,
  }),
  UpdateLLMIntegration: message("UpdateLLMIntegrationRequest", {
    id: "string",
    endpoint: "string",
    models: { repeated: { enum: SUPPORTED_MODELS, definedOnly: true } },
    api_key: "string",
    max_tokens: "uint64",
    phase: { enum: LLM_INTEGRATION_PHASES },
    request_headers: {
      repeated: {
        message: () =>
          message("LLMIntegrationRequestHeader", {
            key: "string",
            value: "bytes",
            header_type: { enum: LLM_HEADER_TYPES, definedOnly: true },
          }),
      },
    },
  }),
  DeleteLLMIntegration: message("DeleteLLMIntegrationRequest", { id: "string", force: "bool" }),
};

export const RPC_NAMES = Object.keys(REQUESTS) as RpcName[];

export function isRpcName(name: string): name is RpcName {
  return Object.hasOwn(REQUESTS, name);
}
