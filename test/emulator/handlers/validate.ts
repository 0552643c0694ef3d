/**
 * ValidateRunnerConfiguration: exactly one of environmentClass or scmIntegration; the answer carries
 * the result for that side only, with `valid` true when no error was found. Unlike Create/Update, the
 * SCM side also checks OAuth credentials with the SCM host (here: the fixture of known OAuth apps),
 * decrypting an encrypted client secret with the runner's private key first.
 */
import type {
  EnvironmentClassValidationResult,
  ScmIntegrationValidationInput,
  ScmIntegrationValidationResult,
} from "../../../shared/api/schemas.js";
import { invalidArgument } from "../connect-errors.js";
import type { EmulatorState, StoredRunner } from "../store.js";
import { environmentClassErrors, findScmProvider, scmIntegrationErrors } from "../validation.js";
import { lookupRunner, type RpcHandler } from "./context.js";

function oauthHost(input: ScmIntegrationValidationInput): string {
  if (input.issuerUrl) {
    try {
      return new URL(input.issuerUrl).host;
    } catch {
      // the structural check already reported the malformed issuer URL
    }
  }
  return input.host ?? "";
}

/** Asks the "SCM" whether the OAuth app accepts this secret; an error text or undefined. */
function credentialError(
  state: EmulatorState,
  runner: StoredRunner,
  input: ScmIntegrationValidationInput,
): string | undefined {
  const clientId = input.oauthClientId ?? "";
  const secret = input.oauthPlaintextClientSecret
    ? input.oauthPlaintextClientSecret
    : state.decryptForRunner(runner.id, input.oauthEncryptedClientSecret ?? "");
  if (secret === undefined)
    return "the encrypted OAuth client secret cannot be decrypted with the runner's key";
  const host = oauthHost(input);
  const app = state.findOAuthApp(host, clientId);
  if (!app) return `OAuth client id "${clientId}" is not registered at ${host}`;
  if (!app.secrets.includes(secret))
    return `${host} rejected the OAuth client secret for client id "${clientId}"`;
  return undefined;
}

function validateScm(
  state: EmulatorState,
  runner: StoredRunner,
  input: ScmIntegrationValidationInput,
): ScmIntegrationValidationResult {
  const errors = scmIntegrationErrors(runner.schema, {
    scmId: input.scmId,
    host: input.host,
    issuerUrl: input.issuerUrl,
    oauthClientId: input.oauthClientId,
    hasSecret: Boolean(input.oauthPlaintextClientSecret || input.oauthEncryptedClientSecret),
    pat: input.pat,
    virtualDirectory: input.virtualDirectory,
  });
  const provider = input.scmId ? findScmProvider(runner.schema, input.scmId) : undefined;
  if (input.oauthClientId && provider && !errors.oauthError && !errors.hostError) {
    const error = credentialError(state, runner, input);
    if (error) errors.oauthError = error;
  }
  return { ...errors, valid: Object.keys(errors).length === 0 };
}

export const validateRunnerConfiguration: RpcHandler<"ValidateRunnerConfiguration"> = (
  request,
  { state },
) => {
  const hasEnvironmentClass = request.environmentClass !== undefined;
  const hasScm = request.scmIntegration !== undefined;
  if (hasEnvironmentClass === hasScm) {
    throw invalidArgument("exactly one of environmentClass or scmIntegration must be set");
  }
  const runner = lookupRunner(state, request.runnerId || request.environmentClass?.runnerId);
  if (request.scmIntegration) {
    return { scmIntegration: validateScm(state, runner, request.scmIntegration) };
  }
  const input = request.environmentClass ?? {};
  const errors = environmentClassErrors(runner.schema, input);
  const result: EnvironmentClassValidationResult = {
    ...errors,
    valid: !errors.displayNameError && !errors.descriptionError && errors.configurationErrors.length === 0,
  };
  return { environmentClass: result };
};
