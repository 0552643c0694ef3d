/**
 * Host authentication tokens per SCM integration: how many, how many expired, and the nearest
 * expiry still ahead (which tokens belong to it: tokenBelongsTo in shared/api/matching.ts).
 */
import { isServiceAccountToken, tokenBelongsTo } from "../api/matching.js";
import type { HostAuthenticationToken } from "../api/resources/host-authentication-tokens.wire.js";
import type { ScmIntegration } from "../api/resources/scm-integrations.wire.js";

export interface TokenSummary {
  count: number;
  expired: number;
  /** RFC 3339 expiry of the token that expires next (not yet expired), if any. */
  nearestExpiry?: string;
  /** How the tokens were obtained: OAuth sign-in, a personal access token, or not said. */
  bySource?: { oauth: number; pat: number; other: number };
  /** Whose they are: users', service accounts', or not said by the API. */
  byPrincipal?: { users: number; serviceAccounts: number; other: number };
  /** Expired tokens by owner kind, for "who must act". */
  expiredByPrincipal?: { users: number; serviceAccounts: number; other: number };
}

type Counts = { users: number; serviceAccounts: number; other: number };
type PrincipalKind = keyof Counts;

function principalKind(token: HostAuthenticationToken): PrincipalKind {
  if (isServiceAccountToken(token)) return "serviceAccounts";
  if (token.subject?.principal === "PRINCIPAL_USER" || token.userId) return "users";
  return "other";
}

export function summarizeTokens(
  integration: ScmIntegration,
  tokens: readonly HostAuthenticationToken[],
  now: Date,
): TokenSummary {
  const bySource = { oauth: 0, pat: 0, other: 0 };
  const byPrincipal: Counts = { users: 0, serviceAccounts: 0, other: 0 };
  const expiredByPrincipal: Counts = { users: 0, serviceAccounts: 0, other: 0 };
  const summary: TokenSummary = { count: 0, expired: 0, bySource, byPrincipal, expiredByPrincipal };
  let nearest = Number.POSITIVE_INFINITY;
  for (const token of tokens) {
    if (!tokenBelongsTo(token, integration)) continue;
    summary.count += 1;
    const kind = principalKind(token);
    byPrincipal[kind] += 1;
    if (token.source === "HOST_AUTHENTICATION_TOKEN_SOURCE_OAUTH") bySource.oauth += 1;
    else if (token.source === "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT") bySource.pat += 1;
    else bySource.other += 1;
    if (!token.expiresAt) continue;
    const at = Date.parse(token.expiresAt);
    if (Number.isNaN(at)) continue;
    if (at <= now.getTime()) {
      summary.expired += 1;
      expiredByPrincipal[kind] += 1;
    } else if (at < nearest) {
      nearest = at;
      summary.nearestExpiry = token.expiresAt;
    }
  }
  return summary;
}
