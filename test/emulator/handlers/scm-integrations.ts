/**
 * Create/List/Get/Update/DeleteSCMIntegration. (runnerId, host) is unique; OAuth client secrets are
 * stored only as RSA-OAEP ciphertext under the runner's public key. Create/Update check the shape of
 * the input but do not ask the SCM whether OAuth credentials work (ValidateRunnerConfiguration does).
 * UpdateSCMIntegration side effects: `oauthClientId: ""` removes OAuth and deletes the runner's and
 * host's OAuth-sourced host tokens; `pat: false` deletes the PAT-sourced ones.
 */
import { ConnectError, invalidArgument } from "../connect-errors.js";
import { nextPage, resolvePageRequest } from "../pagination.js";
import type { StoredOAuthConfig, StoredScmIntegration } from "../store.js";
import {
  findScmProvider,
  issuerUrlError,
  joinErrors,
  type ScmErrors,
  scmIntegrationErrors,
  virtualDirectoryError,
} from "../validation.js";
import { lookup, lookupRunner, type RpcHandler, requireUuid } from "./context.js";

function scmIntegrationJson(stored: StoredScmIntegration) {
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
    scm_id: errors.scmIdError,
    host: errors.hostError,
    oauth: errors.oauthError,
    pat: errors.patError,
  });
  if (message) throw invalidArgument(message);
}

export const createScmIntegration: RpcHandler<"CreateSCMIntegration"> = (request, { state, options }) => {
  // Spec: runnerId "format: uuid".
  const runner = lookupRunner(state, requireUuid(request.runnerId, "runner_id"));
  rejectErrors(
    scmIntegrationErrors(runner.schema, {
      scmId: request.scmId,
      host: request.host,
      issuerUrl: request.issuerUrl,
      oauthClientId: request.oauthClientId,
      hasSecret: Boolean(request.oauthPlaintextClientSecret),
      pat: request.pat,
      virtualDirectory: request.virtualDirectory,
      allowSchemeInHost: !options.refuseSchemeInHost,
    }),
  );
  const host = request.host ?? "";
  if (options.refuseIssuerUrlWithoutOAuth && !request.oauthClientId && request.issuerUrl) {
    throw invalidArgument("issuer_url: only meaningful with an OAuth client id");
  }
  if (state.rules.uniqueScmHostPerRunner && state.findScmIntegrationByHost(runner.id, host)) {
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
    scmId: request.scmId ?? "",
    host,
    oauth,
    pat: request.pat ?? false,
    virtualDirectory: request.virtualDirectory ?? "",
  });
  return { id: stored.id };
};

export const getScmIntegration: RpcHandler<"GetSCMIntegration"> = (request, { state }) => {
  // Spec: id "format: uuid".
  const stored = lookup(state.scmIntegrations, requireUuid(request.id, "id"), "id", "SCM integration");
  return { integration: scmIntegrationJson(stored) };
};

/** The OAuth config after an update, or an error message; nothing is written here. */
function nextOAuthConfig(
  stored: StoredScmIntegration,
  request: { oauthClientId?: string; oauthPlaintextClientSecret?: string; issuerUrl?: string },
  encrypt: (plaintext: string) => string,
  refuseIssuerUrlWithoutOAuth: boolean,
): StoredOAuthConfig | undefined | string {
  if (request.oauthClientId === "") return undefined; // removal, whatever else was sent
  const clientId = request.oauthClientId ?? stored.oauth?.clientId;
  const secret = request.oauthPlaintextClientSecret;
  if (!clientId) {
    if (secret) return "oauth: an OAuth client secret was given without an OAuth client id";
    if (request.issuerUrl && refuseIssuerUrlWithoutOAuth)
      return "issuer_url: only meaningful with an OAuth client id";
    return undefined;
  }
  const changesApp = request.oauthClientId !== undefined && request.oauthClientId !== stored.oauth?.clientId;
  if (changesApp && !secret) return "oauth: a new OAuth client id requires its client secret";
  const issuerUrl = request.issuerUrl ?? stored.oauth?.issuerUrl ?? "";
  const issuerProblem = issuerUrlError(issuerUrl);
  if (issuerProblem) return `issuer_url: ${issuerProblem}`;
  return {
    clientId,
    encryptedClientSecret: secret ? encrypt(secret) : (stored.oauth?.encryptedClientSecret ?? ""),
    issuerUrl,
  };
}

export const updateScmIntegration: RpcHandler<"UpdateSCMIntegration"> = (request, { state, options }) => {
  const stored = lookup(state.scmIntegrations, request.id, "id", "SCM integration");
  const runner = lookupRunner(state, stored.runnerId);
  const provider = findScmProvider(runner.schema, stored.scmId);
  const oauth = nextOAuthConfig(
    stored,
    request,
    (plaintext) => state.encryptForRunner(runner.id, plaintext),
    options.refuseIssuerUrlWithoutOAuth,
  );
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
    virtual_directory: virtualDirectoryError(stored.scmId, request.virtualDirectory),
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

export const listScmIntegrations: RpcHandler<"ListSCMIntegrations"> = (
  request,
  { state, query, options },
) => {
  const page = resolvePageRequest(request.pagination, query, options.pageTokenTtlSeconds);
  const runnerIds = request.filter?.runnerIds;
  const result = state.listScmIntegrations({
    ...(runnerIds?.length ? { runnerIds } : {}),
    afterSeq: page.afterSeq,
    pageSize: page.pageSize,
  });
  return {
    integrations: result.items.map(scmIntegrationJson),
    pagination: nextPage(result, options.pageTokenTtlSeconds),
  };
};
