/** ValidateRunnerConfiguration on the wire: what is checked, and the answer per item. */
import { z } from "zod";
import { FieldValue } from "./common.wire.js";

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
