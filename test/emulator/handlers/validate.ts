/**
 * ValidateRunnerConfiguration: exactly one of environmentClass or scmIntegration; the answer carries
 * the result for that side only, with `valid` true when no error was found. Unlike Create/Update, the
 * SCM side also checks OAuth credentials with the SCM host (here: the fixture of known OAuth apps),
 * decrypting an encrypted client secret with the runner's private key first.
 */
import { invalidArgument } from "../connect-errors.js";
import type { ScmIntegrationValidationInput } from "../messages.js";
import type { EmulatorState, StoredRunner } from "../store.js";
import {
  environmentClassErrors,
  findScmProvider,
  type ScmErrors,
  scmIntegrationErrors,
} from "../validation.js";
import { lookupRunner, type RpcContext, type RpcHandler, requireId, requireOnline } from "./context.js";

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
  allowSchemeInHost: boolean,
): ScmErrors & { valid: boolean } {
  const errors = scmIntegrationErrors(runner.schema, {
    scmId: input.scmId,
    host: input.host,
    issuerUrl: input.issuerUrl,
    oauthClientId: input.oauthClientId,
    hasSecret: Boolean(input.oauthPlaintextClientSecret || input.oauthEncryptedClientSecret),
    pat: input.pat,
    virtualDirectory: input.virtualDirectory,
    allowSchemeInHost,
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
  context: RpcContext,
) => {
  const { state } = context;
  const hasEnvironmentClass = request.environmentClass !== undefined;
  const hasScm = request.scmIntegration !== undefined;
  if (hasEnvironmentClass === hasScm) {
    throw invalidArgument("exactly one of environment_class or scm_integration must be set");
  }
  if (request.environmentClass) {
    // The Python page types EnvironmentClass.id and .runner_id as `str`, not Optional: required.
    requireId(request.environmentClass.id, "environment_class.id");
    requireId(request.environmentClass.runnerId, "environment_class.runner_id");
  }
  const runner = lookupRunner(state, request.runnerId || request.environmentClass?.runnerId);
  // The page: the secret is "encrypted with the runner's public key before passing it to the runner".
  requireOnline(runner, context);
  if (request.scmIntegration) {
    return {
      scmIntegration: validateScm(state, runner, request.scmIntegration, !context.options.refuseSchemeInHost),
    };
  }
  const input = request.environmentClass ?? {};
  const errors = environmentClassErrors(runner.schema, input);
  const result = {
    ...errors,
    valid: !errors.displayNameError && !errors.descriptionError && errors.configurationErrors.length === 0,
  };
  return { environmentClass: result };
};
