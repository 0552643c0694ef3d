/**
 * Create/List/Get/Update/DeleteHostAuthenticationToken. The token and refresh token are stored
 * (tests read them from the state) but never returned, as in the real API. A token belongs to a
 * subject, a user or a service account; the deprecated `userId` names a user.
 */
import { ConnectError, invalidArgument } from "../connect-errors.js";
import type { Subject } from "../messages.js";
import { nextPage, resolvePageRequest } from "../pagination.js";
import { type EmulatorState, formatTimestamp, type StoredHostToken } from "../store.js";
import { hostError } from "../validation.js";
import { lookup, lookupRunner, type RpcHandler, requireUuid } from "./context.js";

/** The decoder checked the RFC 3339 form; stored normalised to UTC as protojson prints it. */
function readTimestamp(value: string | undefined): string {
  return value === undefined || value === "" ? "" : formatTimestamp(new Date(value));
}

function enumOrOmit(value: string | undefined): string | undefined {
  return value?.endsWith("_UNSPECIFIED") ? undefined : value;
}

/** Spec: "Maximum 100 scopes allowed (101 for validation purposes)". */
const MAX_SCOPES = 100;

/** Spec: "Subject identifies the principal (user or service account) for the token". */
const TOKEN_PRINCIPALS = new Set(["PRINCIPAL_USER", "PRINCIPAL_SERVICE_ACCOUNT"]);

function checkScopes(scopes: string[] | undefined): void {
  if ((scopes?.length ?? 0) > MAX_SCOPES) {
    throw invalidArgument(`scopes: at most ${MAX_SCOPES} scopes are allowed`);
  }
}

/** The subject of a new token: `subject`, else the deprecated `userId` as a user. */
function subjectOf(request: { subject?: Subject; userId?: string }): Subject | undefined {
  const { subject, userId } = request;
  if (subject && (subject.id || subject.principal)) {
    const id = requireUuid(subject.id, "subject.id");
    if (!subject.principal || !TOKEN_PRINCIPALS.has(subject.principal)) {
      throw invalidArgument("subject.principal: must be PRINCIPAL_USER or PRINCIPAL_SERVICE_ACCOUNT");
    }
    // Assumption: the deprecated field may repeat a user subject but not contradict it.
    if (userId && (subject.principal !== "PRINCIPAL_USER" || userId !== subject.id)) {
      throw invalidArgument("user_id: must be empty or equal to subject.id of a PRINCIPAL_USER subject");
    }
    return { id, principal: subject.principal };
  }
  return userId ? { id: userId, principal: "PRINCIPAL_USER" } : undefined;
}

/** Assumption: integration_id, when set, names an SCM integration of the same runner and host. */
function checkIntegration(
  state: EmulatorState,
  integrationId: string | undefined,
  runnerId: string,
  host: string,
): void {
  if (!integrationId) return;
  const integration = state.scmIntegrations.get(integrationId);
  if (!integration || integration.runnerId !== runnerId) {
    throw invalidArgument(`integration_id: no SCM integration ${integrationId} on runner ${runnerId}`);
  }
  const same = state.rules.caseInsensitiveHosts
    ? integration.host.toLowerCase() === host.toLowerCase()
    : integration.host === host;
  if (!same) {
    throw invalidArgument(`integration_id: the SCM integration is for ${integration.host}, not ${host}`);
  }
}

function hostTokenJson(stored: StoredHostToken) {
  return {
    id: stored.id,
    expiresAt: stored.expiresAt,
    host: stored.host,
    integrationId: stored.integrationId,
    runnerId: stored.runnerId,
    scopes: [...stored.scopes],
    source: enumOrOmit(stored.source),
    subject: stored.subject && { id: stored.subject.id, principal: enumOrOmit(stored.subject.principal) },
    userId: stored.userId,
  };
}

export const createHostAuthenticationToken: RpcHandler<"CreateHostAuthenticationToken"> = (
  request,
  { state },
) => {
  const runner = lookupRunner(state, request.runnerId);
  const problem = hostError(request.host);
  if (problem) throw invalidArgument(`host: ${problem}`);
  if (!request.token) throw invalidArgument("token: value is required");
  checkScopes(request.scopes);
  const subject = subjectOf(request);
  checkIntegration(state, request.integrationId, runner.id, request.host ?? "");
  const expiresAt = readTimestamp(request.expiresAt);
  if (
    subject &&
    state.rules.uniqueHostTokenPerSubject &&
    state.findHostTokenForSubject(runner.id, request.host ?? "", subject.id ?? "")
  ) {
    throw new ConnectError(
      "already_exists",
      `a host authentication token for ${request.host} and subject ${subject.id} already exists on runner ${runner.id}`,
    );
  }
  const stored = state.insertHostToken({
    runnerId: runner.id,
    host: request.host ?? "",
    token: request.token,
    refreshToken: request.refreshToken ?? "",
    source: request.source ?? "HOST_AUTHENTICATION_TOKEN_SOURCE_UNSPECIFIED",
    expiresAt,
    integrationId: request.integrationId ?? "",
    scopes: [...(request.scopes ?? [])],
    subject,
    userId: request.userId ?? "",
  });
  return { token: hostTokenJson(stored) };
};

export const getHostAuthenticationToken: RpcHandler<"GetHostAuthenticationToken"> = (request, { state }) => {
  const stored = lookup(state.hostTokens, request.id, "id", "host authentication token");
  return { token: hostTokenJson(stored) };
};

export const updateHostAuthenticationToken: RpcHandler<"UpdateHostAuthenticationToken"> = (
  request,
  { state },
) => {
  const stored = lookup(state.hostTokens, request.id, "id", "host authentication token");
  if (request.token === "") throw invalidArgument("token: must not be empty");
  // Assumption: the create limit holds for updates too (the Update page does not repeat it).
  checkScopes(request.scopes);
  const expiresAt = request.expiresAt === undefined ? undefined : readTimestamp(request.expiresAt);
  if (request.token !== undefined) stored.token = request.token;
  if (request.refreshToken !== undefined) stored.refreshToken = request.refreshToken;
  if (expiresAt !== undefined) stored.expiresAt = expiresAt;
  if (request.scopes !== undefined) stored.scopes = [...request.scopes];
  return {};
};

export const deleteHostAuthenticationToken: RpcHandler<"DeleteHostAuthenticationToken"> = (
  request,
  { state },
) => {
  const stored = lookup(state.hostTokens, request.id, "id", "host authentication token");
  state.deleteHostToken(stored.id);
  return {};
};

export const listHostAuthenticationTokens: RpcHandler<"ListHostAuthenticationTokens"> = (
  request,
  { state, query, options },
) => {
  const page = resolvePageRequest(request.pagination, query, options.pageTokenTtlSeconds);
  const { runnerId, userId, subjectId } = request.filter ?? {};
  const result = state.listHostTokens({
    ...(runnerId ? { runnerIds: [runnerId] } : {}),
    afterSeq: page.afterSeq,
    pageSize: page.pageSize,
    accept: (stored) =>
      !(userId && stored.userId !== userId) && !(subjectId && stored.subject?.id !== subjectId),
  });
  return {
    tokens: result.items.map(hostTokenJson),
    pagination: nextPage(result, options.pageTokenTtlSeconds),
  };
};
