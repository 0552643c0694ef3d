/**
 * Host authentication tokens of one integration and the ones that need attention. A token belongs
 * to an integration by its integrationId or, when it has none, by the same runner and host (the
 * same rule as shared/rotation's summarizeTokens).
 */
import type { HostAuthenticationToken, ScmIntegration } from "../api/schemas.js";
import { sameHost } from "./live.js";
import type { AuditTokens, ExpiringToken } from "./types.js";

const DAY_MS = 24 * 60 * 60 * 1000;

export function belongsTo(token: HostAuthenticationToken, integration: ScmIntegration): boolean {
  if (token.integrationId) return token.integrationId === integration.id;
  return token.runnerId === integration.runnerId && sameHost(token.host, integration.host);
}

/** Count the integration's tokens and list those expired or expiring within `windowDays`. */
export function auditTokens(
  integration: ScmIntegration,
  tokens: readonly HostAuthenticationToken[],
  now: Date,
  windowDays: number,
): AuditTokens {
  const horizon = now.getTime() + windowDays * DAY_MS;
  const result: AuditTokens = { count: 0, expiring: [] };
  for (const token of tokens) {
    if (!belongsTo(token, integration)) continue;
    result.count += 1;
    const at = token.expiresAt ? Date.parse(token.expiresAt) : Number.NaN;
    if (Number.isNaN(at) || at > horizon) continue;
    const expiring: ExpiringToken = {
      id: token.id,
      expiresAt: token.expiresAt as string,
      expired: at <= now.getTime(),
    };
    if (token.source) expiring.source = token.source.replace(/^HOST_AUTHENTICATION_TOKEN_SOURCE_/, "");
    const owner = token.userId || token.subject?.id;
    if (owner) expiring.owner = owner;
    result.expiring.push(expiring);
  }
  result.expiring.sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt));
  return result;
}
