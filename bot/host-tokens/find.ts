/**
 * Which host authentication token `rotate-token <host> <service-account> [runner]` means. Pure:
 * the caller reads the tokens. Only service accounts' tokens of the bot's runners are ever
 * chosen; a user's token is named as such and refused (users' tokens belong to the users).
 */
import { isServiceAccountToken, sameHost } from "../../shared/api/matching.js";
import type { HostAuthenticationToken } from "../../shared/api/resources/host-authentication-tokens.wire.js";

export type TokenChoice =
  | { kind: "one"; token: HostAuthenticationToken }
  /** The service account has a token for the host on several runners: the runner must be named. */
  | { kind: "many"; tokens: HostAuthenticationToken[] }
  /** The id is a user's (a PRINCIPAL_USER subject or the deprecated userId): never managed. */
  | { kind: "user-token"; reason: string }
  | { kind: "none"; reason: string };

export const USER_TOKEN_REASON =
  "that id owns a user's token, and users' tokens are never rotated by the bot (the user signs in again to renew it)";

function isTokenOfServiceAccount(token: HostAuthenticationToken, id: string): boolean {
  return isServiceAccountToken(token) && (token.subject?.id ?? "").toLowerCase() === id.toLowerCase();
}

function isUsersToken(token: HostAuthenticationToken, id: string): boolean {
  const wanted = id.toLowerCase();
  if (token.subject?.principal === "PRINCIPAL_USER") return (token.subject.id ?? "").toLowerCase() === wanted;
  return !token.subject?.principal && (token.userId ?? "").toLowerCase() === wanted;
}

/** A runner given by id or by its label in GITPOD_RUNNER_IDS (case-insensitive). */
function matchesRunner(
  runnerId: string | undefined,
  given: string,
  runnerLabels: Readonly<Record<string, string>>,
): boolean {
  if (!runnerId) return false;
  const wanted = given.toLowerCase();
  return runnerId.toLowerCase() === wanted || (runnerLabels[runnerId] ?? "").toLowerCase() === wanted;
}

export function chooseServiceAccountToken(
  tokens: readonly HostAuthenticationToken[],
  request: { host: string; serviceAccountId: string; runner?: string },
  runnerIds: readonly string[],
  runnerLabels: Readonly<Record<string, string>>,
): TokenChoice {
  const managed = tokens.filter(
    (token) => token.runnerId !== undefined && runnerIds.includes(token.runnerId),
  );
  let onHost = managed.filter((token) => sameHost(token.host, request.host));
  if (request.runner !== undefined) {
    const runner = request.runner;
    if (!runnerIds.some((id) => matchesRunner(id, runner, runnerLabels)))
      return { kind: "none", reason: "the bot manages no runner of that id or name" };
    onHost = onHost.filter((token) => matchesRunner(token.runnerId, runner, runnerLabels));
  }
  const matching = onHost.filter((token) => isTokenOfServiceAccount(token, request.serviceAccountId));
  if (matching.length === 1 && matching[0]) return { kind: "one", token: matching[0] };
  if (matching.length > 1) return { kind: "many", tokens: matching };
  if (onHost.some((token) => isUsersToken(token, request.serviceAccountId)))
    return { kind: "user-token", reason: USER_TOKEN_REASON };
  return {
    kind: "none",
    reason: `no host authentication token of that service account for ${request.host} on ${
      request.runner === undefined ? "the bot's runners" : "that runner"
    }`,
  };
}

/** "aws-eu, aws-us": the runners to choose from, for the "name the runner" answer. */
export function runnersOf(
  tokens: readonly HostAuthenticationToken[],
  runnerLabels: Readonly<Record<string, string>>,
): string {
  return tokens.map((token) => runnerLabels[token.runnerId ?? ""] || (token.runnerId ?? "")).join(", ");
}
