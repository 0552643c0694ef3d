/**
 * Validation of an SCM integration as stored: its host, provider, PAT setting and, when OAuth is
 * configured, its client id with the stored encrypted secret (`oauthEncryptedClientSecret`).
 */
import type { ScmIntegration } from "../api/resources/scm-integrations.wire.js";
import type { ScmIntegrationValidationInput } from "../api/resources/validate.wire.js";
import type { CallOptions } from "../api/transport.js";
import type { RotationApi } from "./types.js";
import { describeScmValidation, type ScmValidationDescription } from "./validation-in-words.js";

/** The integration's settings as a validation input, with the OAuth client id to check (if any). */
export function scmValidationInput(
  integration: ScmIntegration,
  clientId?: string,
): ScmIntegrationValidationInput {
  const input: ScmIntegrationValidationInput = { id: integration.id };
  if (integration.scmId) input.scmId = integration.scmId;
  if (integration.host) input.host = integration.host;
  if (integration.oauth?.issuerUrl) input.issuerUrl = integration.oauth.issuerUrl;
  if (clientId) input.oauthClientId = clientId;
  if (integration.pat !== undefined) input.pat = integration.pat;
  if (integration.virtualDirectory) input.virtualDirectory = integration.virtualDirectory;
  return input;
}

/** Throws the client's error when the call fails; the answer itself is described in words. */
export async function validateStoredCredentials(
  api: Pick<RotationApi, "validate">,
  integration: ScmIntegration,
  options: CallOptions = {},
): Promise<ScmValidationDescription> {
  const clientId = integration.oauth?.clientId || undefined;
  const scmIntegration = scmValidationInput(integration, clientId);
  if (clientId && integration.oauth?.encryptedClientSecret) {
    scmIntegration.oauthEncryptedClientSecret = integration.oauth.encryptedClientSecret;
  }
  const response = await api.validate({ runnerId: integration.runnerId, scmIntegration }, options);
  return describeScmValidation(response.scmIntegration);
}
