/**
 * Create/List/Get/Update/DeleteSCMIntegration. (runnerId, host) is unique; OAuth client secrets are
 * stored only as RSA-OAEP ciphertext under the runner's public key. Create/Update check the shape of
 * the input but do not ask the SCM whether OAuth credentials work (ValidateRunnerConfiguration does).
 * UpdateSCMIntegration side effects: `oauthClientId: ""` removes OAuth and deletes the runner's and
 * host's OAuth-sourced host tokens; `pat: false` deletes the PAT-sourced ones.
 */
import type { ScmIntegration } from "../../../shared/api/schemas.js";
import { ConnectError, invalidArgument } from "../connect-errors.js";
import { paginate, resolvePageRequest } from "../pagination.js";
import type { StoredOAuthConfig, StoredScmIntegration } from "../store.js";
import {
  findScmProvider,
  issuerUrlError,
  joinErrors,
  type ScmErrors,
  scmIntegrationErrors,
  virtualDirectoryError,
} from "../validation.js";
import { lookup, lookupRunner, type RpcHandler } from "./context.js";

export function scmIntegrationJson(stored: StoredScmIntegration): ScmIntegration {
  return {
    id: stored.id,
    runnerId: stored.runnerId,
    scmId: stored.scmId,
    host: stored.host,
    oauth: stored.oauth && {
      clientId: stored.oauth.clientId,
      encryptedClientSecret: stored.oauth.encryptedClientSecret,
      issuerUrl: stored.oauth.issuerUrl,
    },
    pat: stored.pat,
    virtualDirectory: stored.virtualDirectory,
  };
}

function rejectErrors(errors: ScmErrors): void {
  const message = joinErrors({
    scmId: errors.scmIdError,
    host: errors.hostError,
    oauth: errors.oauthError,
    pat: errors.patError,
  });
  if (message) throw invalidArgument(message);
}

export const createScmIntegration: RpcHandler<"CreateSCMIntegration"> = (request, { state }) => {
  const runner = lookupRunner(state, request.runnerId);
  rejectErrors(
    scmIntegrationErrors(runner.schema, {
      scmId: request.scmId,
      host: request.host,
      issuerUrl: request.issuerUrl,
      oauthClientId: request.oauthClientId,
      hasSecret: Boolean(request.oauthPlaintextClientSecret),
      pat: request.pat,
      virtualDirectory: request.virtualDirectory,
    }),
  );
  if (!request.oauthClientId && request.issuerUrl) {
    throw invalidArgument("issuerUrl: only meaningful with an OAuth client id");
  }
  if (state.findScmIntegrationByHost(runner.id, request.host)) {
    throw new ConnectError(
      "already_exists",
      `an SCM integration for host ${request.host} already exists on runner ${runner.id}`,
    );
  }
  const oauth: StoredOAuthConfig | undefined = request.oauthClientId
    ? {
        clientId: request.oauthClientId,
        encryptedClientSecret: state.encryptForRunner(runner.id, request.oauthPlaintextClientSecret ?? ""),
        issuerUrl: request.issuerUrl ?? "",
      }
    : undefined;
  const stored = state.insertScmIntegration({
    runnerId: runner.id,
    scmId: request.scmId,
    host: request.host,
    oauth,
    pat: request.pat ?? false,
    virtualDirectory: request.virtualDirectory ?? "",
  });
  return { id: stored.id };
};

export const getScmIntegration: RpcHandler<"GetSCMIntegration"> = (request, { state }) => {
  const stored = lookup(state.scmIntegrations, request.id, "id", "SCM integration");
  return { integration: scmIntegrationJson(stored) };
};

/** The OAuth config after an update, or an error message; nothing is written here. */
function nextOAuthConfig(
  stored: StoredScmIntegration,
  request: { oauthClientId?: string; oauthPlaintextClientSecret?: string; issuerUrl?: string },
  encrypt: (plaintext: string) => string,
): StoredOAuthConfig | undefined | string {
  if (request.oauthClientId === "") return undefined; // removal, whatever else was sent
  const clientId = request.oauthClientId ?? stored.oauth?.clientId;
  const secret = request.oauthPlaintextClientSecret;
  if (!clientId) {
    if (secret) return "oauth: an OAuth client secret was given without an OAuth client id";
    if (request.issuerUrl) return "issuerUrl: only meaningful with an OAuth client id";
    return undefined;
  }
  const changesApp = request.oauthClientId !== undefined && request.oauthClientId !== stored.oauth?.clientId;
  if (changesApp && !secret) return "oauth: a new OAuth client id requires its client secret";
  const issuerUrl = request.issuerUrl ?? stored.oauth?.issuerUrl ?? "";
  const issuerProblem = issuerUrlError(issuerUrl);
  if (issuerProblem) return `issuerUrl: ${issuerProblem}`;
  return {
    clientId,
    encryptedClientSecret: secret ? encrypt(secret) : (stored.oauth?.encryptedClientSecret ?? ""),
    issuerUrl,
  };
}

export const updateScmIntegration: RpcHandler<"UpdateSCMIntegration"> = (request, { state }) => {
  const stored = lookup(state.scmIntegrations, request.id, "id", "SCM integration");
  const runner = lookupRunner(state, stored.runnerId);
  const provider = findScmProvider(runner.schema, stored.scmId);
  const oauth = nextOAuthConfig(stored, request, (plaintext) => state.encryptForRunner(runner.id, plaintext));
  if (typeof oauth === "string") throw invalidArgument(oauth);
  const message = joinErrors({
    oauth:
      oauth && provider && !provider.oauth
        ? `${provider.name ?? stored.scmId} does not support OAuth`
        : undefined,
    pat:
      request.pat && provider && !provider.pat
        ? `${provider.name ?? stored.scmId} does not support personal access tokens`
        : undefined,
    virtualDirectory: virtualDirectoryError(stored.scmId, request.virtualDirectory),
  });
  if (message) throw invalidArgument(message);

  stored.oauth = oauth;
  if (request.pat !== undefined) stored.pat = request.pat;
  if (request.virtualDirectory !== undefined) stored.virtualDirectory = request.virtualDirectory;
  if (request.oauthClientId === "") {
    state.deleteHostTokensBySource(stored.runnerId, stored.host, "HOST_AUTHENTICATION_TOKEN_SOURCE_OAUTH");
  }
  if (request.pat === false) {
    state.deleteHostTokensBySource(stored.runnerId, stored.host, "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT");
  }
  return {};
};

export const deleteScmIntegration: RpcHandler<"DeleteSCMIntegration"> = (request, { state }) => {
  const stored = lookup(state.scmIntegrations, request.id, "id", "SCM integration");
  state.deleteScmIntegration(stored.id);
  return {};
};

export const listScmIntegrations: RpcHandler<"ListSCMIntegrations"> = (request, { state, query }) => {
  const page = resolvePageRequest(request.pagination, query);
  const runnerIds = request.filter?.runnerIds?.length ? new Set(request.filter.runnerIds) : undefined;
  const matching: StoredScmIntegration[] = [];
  for (const stored of state.scmIntegrations.values()) {
    if (runnerIds && !runnerIds.has(stored.runnerId)) continue;
    matching.push(stored);
  }
  const result = paginate(matching, page);
  return { integrations: result.items.map(scmIntegrationJson), pagination: { nextToken: result.nextToken } };
};
