/**
 * gitpod.v1.RunnerConfigurationService as the client knows it: every RPC with its request and
 * response schema (from the wire modules beside the resources), whether it creates, and which
 * fields hold secrets. The transport reads this table for every call.
 */
import { z } from "zod";
import {
  CreateEnvironmentClassRequest,
  CreateEnvironmentClassResponse,
  GetEnvironmentClassRequest,
  GetEnvironmentClassResponse,
  ListEnvironmentClassesRequest,
  ListEnvironmentClassesResponse,
  UpdateEnvironmentClassRequest,
} from "./resources/environment-classes.wire.js";
import {
  CreateHostAuthenticationTokenRequest,
  CreateHostAuthenticationTokenResponse,
  DeleteHostAuthenticationTokenRequest,
  GetHostAuthenticationTokenRequest,
  GetHostAuthenticationTokenResponse,
  ListHostAuthenticationTokensRequest,
  ListHostAuthenticationTokensResponse,
  UpdateHostAuthenticationTokenRequest,
} from "./resources/host-authentication-tokens.wire.js";
import {
  CreateLlmIntegrationRequest,
  CreateLlmIntegrationResponse,
  DeleteLlmIntegrationRequest,
  GetLlmIntegrationRequest,
  GetLlmIntegrationResponse,
  ListLlmIntegrationsRequest,
  ListLlmIntegrationsResponse,
  UpdateLlmIntegrationRequest,
} from "./resources/llm-integrations.wire.js";
import {
  GetRunnerConfigurationSchemaRequest,
  GetRunnerConfigurationSchemaResponse,
} from "./resources/schema.wire.js";
import {
  CreateScmIntegrationRequest,
  CreateScmIntegrationResponse,
  DeleteScmIntegrationRequest,
  GetScmIntegrationRequest,
  GetScmIntegrationResponse,
  ListScmIntegrationsRequest,
  ListScmIntegrationsResponse,
  UpdateScmIntegrationRequest,
} from "./resources/scm-integrations.wire.js";
import {
  ValidateRunnerConfigurationRequest,
  ValidateRunnerConfigurationResponse,
} from "./resources/validate.wire.js";

/** Update/Delete RPCs answer `{}`; anything else is tolerated and ignored. */
const EmptyResponse = z.object({});

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
