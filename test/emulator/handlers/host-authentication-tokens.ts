/**
 * Create/List/Get/Update/DeleteHostAuthenticationToken. The token and refresh token are stored
 * (tests read them from the state) but never returned, as in the real API.
 */
import type { HostAuthenticationToken, HostAuthenticationTokenSource } from "../../../shared/api/schemas.js";
import { invalidArgument } from "../connect-errors.js";
import { paginate, resolvePageRequest } from "../pagination.js";
import { formatTimestamp, type StoredHostToken } from "../store.js";
import { hostError } from "../validation.js";
import { lookup, lookupRunner, type RpcHandler } from "./context.js";

const KNOWN_SOURCES = new Set<string>([
  "HOST_AUTHENTICATION_TOKEN_SOURCE_UNSPECIFIED",
  "HOST_AUTHENTICATION_TOKEN_SOURCE_OAUTH",
  "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT",
]);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** protojson with DiscardUnknown reads an enum name it does not know as the zero value. */
function readSource(source: string | undefined): HostAuthenticationTokenSource {
  return source && KNOWN_SOURCES.has(source) ? source : "HOST_AUTHENTICATION_TOKEN_SOURCE_UNSPECIFIED";
}

function readTimestamp(value: string | undefined, field: string): string {
  if (value === undefined || value === "") return "";
  const date = new Date(value);
  if (!RFC3339.test(value) || Number.isNaN(date.getTime())) {
    throw invalidArgument(`${field}: not an RFC 3339 timestamp with a time zone`);
  }
  return formatTimestamp(date);
}

function enumOrOmit(value: string | undefined): string | undefined {
  return value?.endsWith("_UNSPECIFIED") ? undefined : value;
}

export function hostTokenJson(stored: StoredHostToken): HostAuthenticationToken {
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
  const expiresAt = readTimestamp(request.expiresAt, "expiresAt");
  const subject =
    request.subject ?? (request.userId ? { id: request.userId, principal: "PRINCIPAL_USER" } : undefined);
  const stored = state.insertHostToken({
    runnerId: runner.id,
    host: request.host,
    token: request.token,
    refreshToken: request.refreshToken ?? "",
    source: readSource(request.source),
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
  const expiresAt =
    request.expiresAt === undefined ? undefined : readTimestamp(request.expiresAt, "expiresAt");
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
  { state, query },
) => {
  const page = resolvePageRequest(request.pagination, query);
  const { runnerId, userId, subjectId } = request.filter ?? {};
  const matching: StoredHostToken[] = [];
  for (const stored of state.hostTokens.values()) {
    if (runnerId && stored.runnerId !== runnerId) continue;
    if (userId && stored.userId !== userId) continue;
    if (subjectId && stored.subject?.id !== subjectId) continue;
    matching.push(stored);
  }
  const result = paginate(matching, page);
  return { tokens: result.items.map(hostTokenJson), pagination: { nextToken: result.nextToken } };
};
