/** How API objects are matched to each other: one rule each, used by sync, rotation, the health check and the bot. */
import type { HostAuthenticationToken, ScmIntegration } from "./schemas.js";

/** Hosts are compared without case: `GitHub.com` and `github.com` are one host. */
export function sameHost(a: string | undefined, b: string | undefined): boolean {
  return (a ?? "").toLowerCase() === (b ?? "").toLowerCase();
}

/**
 * A host token belongs to an integration by its integrationId or, when it has none, by the same
 * runner and host.
 */
export function tokenBelongsTo(token: HostAuthenticationToken, integration: ScmIntegration): boolean {
  if (token.integrationId) return token.integrationId === integration.id;
  return token.runnerId === integration.runnerId && sameHost(token.host, integration.host);
}
