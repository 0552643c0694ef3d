/**
 * Create/List/Get/Update/DeleteHostAuthenticationToken. The token and refresh token are stored
 * (tests read them from the state) but never returned, as in the real API.
 */
import { invalidArgument } from "../connect-errors.js";
import { nextPage, resolvePageRequest } from "../pagination.js";
import { formatTimestamp, type StoredHostToken } from "../store.js";
import { hostError } from "../validation.js";
import { lookup, lookupRunner, type RpcHandler, requireUuid } from "./context.js";

/** The decoder checked the RFC 3339 form; stored normalised to UTC as protojson prints it. */
function readTimestamp(value: string | undefined): string {
  return value === undefined || value === "" ? "" : formatTimestamp(new Date(value));
}

function enumOrOmit(value: string | undefined): string | undefined {
  return value?.endsWith("_UNSPECIFIED") ? undefined : value;
}

export function hostTokenJson(stored: StoredHostToken) {
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
  // Spec: "Maximum 100 scopes allowed (101 for validation purposes)".
  if ((request.scopes?.length ?? 0) > 100) throw invalidArgument("scopes: at most 100 scopes are allowed");
  if (request.subject?.id) requireUuid(request.subject.id, "subject.id");
  const expiresAt = readTimestamp(request.expiresAt);
  const subject =
    request.subject ?? (request.userId ? { id: request.userId, principal: "PRINCIPAL_USER" } : undefined);
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
    runnerIds: runnerId ? [runnerId] : undefined,
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
