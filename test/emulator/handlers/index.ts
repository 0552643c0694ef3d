/** The 21 RPCs of gitpod.v1.RunnerConfigurationService, by method name. */
import type { RpcName } from "../messages.js";
import type { RpcHandler } from "./context.js";
import {
  createEnvironmentClass,
  getEnvironmentClass,
  listEnvironmentClasses,
  updateEnvironmentClass,
} from "./environment-classes.js";
import {
  createHostAuthenticationToken,
  deleteHostAuthenticationToken,
  getHostAuthenticationToken,
  listHostAuthenticationTokens,
  updateHostAuthenticationToken,
} from "./host-authentication-tokens.js";
import {
  createLlmIntegration,
  deleteLlmIntegration,
  getLlmIntegration,
  listLlmIntegrations,
  updateLlmIntegration,
} from "./llm-integrations.js";
import { getRunnerConfigurationSchema } from "./schema.js";
import {
  createScmIntegration,
  deleteScmIntegration,
  getScmIntegration,
  listScmIntegrations,
  updateScmIntegration,
} from "./scm-integrations.js";
import { validateRunnerConfiguration } from "./validate.js";

export const HANDLERS: { [N in RpcName]: RpcHandler<N> } = {
  ValidateRunnerConfiguration: validateRunnerConfiguration,
  CreateEnvironmentClass: createEnvironmentClass,
  ListEnvironmentClasses: listEnvironmentClasses,
  GetEnvironmentClass: getEnvironmentClass,
  UpdateEnvironmentClass: updateEnvironmentClass,
  CreateHostAuthenticationToken: createHostAuthenticationToken,
  ListHostAuthenticationTokens: listHostAuthenticationTokens,
  GetHostAuthenticationToken: getHostAuthenticationToken,
  UpdateHostAuthenticationToken: updateHostAuthenticationToken,
  DeleteHostAuthenticationToken: deleteHostAuthenticationToken,
  GetRunnerConfigurationSchema: getRunnerConfigurationSchema,
  CreateSCMIntegration: createScmIntegration,
  ListSCMIntegrations: listScmIntegrations,
  GetSCMIntegration: getScmIntegration,
  UpdateSCMIntegration: updateScmIntegration,
  DeleteSCMIntegration: deleteScmIntegration,
  CreateLLMIntegration: createLlmIntegration,
  GetLLMIntegration: getLlmIntegration,
  ListLLMIntegrations: listLlmIntegrations,
  UpdateLLMIntegration: updateLlmIntegration,
  DeleteLLMIntegration: deleteLlmIntegration,
};
