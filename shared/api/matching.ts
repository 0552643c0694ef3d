/** How API objects are matched to each other: one rule each, used by sync, rotation, the health check and the bot. */
import type { HostAuthenticationToken } from "./resources/host-authentication-tokens.wire.js";
import type { ScmIntegration } from "./resources/scm-integrations.wire.js";

/** The subject's principal of a service account's token (tokens the runner-config file may manage). */
export const SERVICE_ACCOUNT = "PRINCIPAL_SERVICE_ACCOUNT";

/** Whether a host token belongs to a service account (not a user): its subject's principal says so. */
export function isServiceAccountToken(token: Pick<HostAuthenticationToken, "subject">): boolean {
  return token.subject?.principal === SERVICE_ACCOUNT;
}

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
