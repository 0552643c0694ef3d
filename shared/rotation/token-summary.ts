/**
 * Host authentication tokens per SCM integration: how many, how many expired, and the nearest
 * expiry still ahead. A token belongs to an integration by its integrationId, or, when it has
 * none, by the same runner and host.
 */
import type { HostAuthenticationToken, ScmIntegration } from "../api/schemas.js";

export interface TokenSummary {
  count: number;
  expired: number;
  /** RFC 3339 expiry of the token that expires next (not yet expired), if any. */
  nearestExpiry?: string;
}

function belongsTo(token: HostAuthenticationToken, integration: ScmIntegration): boolean {
  if (token.integrationId) return token.integrationId === integration.id;
  return token.runnerId === integration.runnerId && sameHost(token.host, integration.host);
}

function sameHost(a: string | undefined, b: string | undefined): boolean {
  return (a ?? "").toLowerCase() === (b ?? "").toLowerCase();
}

export function summarizeTokens(
  integration: ScmIntegration,
  tokens: readonly HostAuthenticationToken[],
  now: Date,
): TokenSummary {
  const summary: TokenSummary = { count: 0, expired: 0 };
  let nearest = Number.POSITIVE_INFINITY;
  for (const token of tokens) {
    if (!belongsTo(token, integration)) continue;
    summary.count += 1;
    if (!token.expiresAt) continue;
    const at = Date.parse(token.expiresAt);
    if (Number.isNaN(at)) continue;
    if (at <= now.getTime()) summary.expired += 1;
    else if (at < nearest) {
      nearest = at;
      summary.nearestExpiry = token.expiresAt;
    }
  }
  return summary;
}
