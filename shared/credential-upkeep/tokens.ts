/**
 * Host authentication tokens of one integration and the ones that need attention. A token belongs
 * to an integration by its integrationId or, when it has none, by the same runner and host (the
 * same rule as shared/rotation's summarizeTokens).
 */

import { isServiceAccountToken, sameHost, tokenBelongsTo } from "../api/matching.js";
import type { HostAuthenticationToken } from "../api/resources/host-authentication-tokens.wire.js";
import type { ScmIntegration } from "../api/resources/scm-integrations.wire.js";
import { runnerLabel } from "../text/runner-label.js";
import type { CheckedTokens, ExpiringToken, ManagedHostToken } from "./types.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Count the integration's tokens and list those expired or expiring within `windowDays`. */
export function checkTokens(
  integration: ScmIntegration,
  tokens: readonly HostAuthenticationToken[],
  now: Date,
  windowDays: number,
  managedTokens: readonly ManagedHostToken[] = [],
): CheckedTokens {
  const horizon = now.getTime() + windowDays * DAY_MS;
  const result: CheckedTokens = { count: 0, expiring: [] };
  for (const token of tokens) {
    if (!tokenBelongsTo(token, integration)) continue;
    result.count += 1;
    const at = token.expiresAt ? Date.parse(token.expiresAt) : Number.NaN;
    if (Number.isNaN(at) || at > horizon) continue;
    const expiring: ExpiringToken = {
      id: token.id,
      expiresAt: token.expiresAt as string,
      expired: at <= now.getTime(),
      remedy: "",
    };
    if (token.source) expiring.source = token.source.replace(/^HOST_AUTHENTICATION_TOKEN_SOURCE_/, "");
    const owner = token.userId || token.subject?.id;
    if (owner) expiring.owner = owner;
    Object.assign(expiring, renewal(token, managedTokens));
    result.expiring.push(expiring);
  }
  result.expiring.sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt));
  return result;
}

/** Who or what renews a token: a managed service account's variable, else whoever must sign in. */
function renewal(
  token: HostAuthenticationToken,
  managedTokens: readonly ManagedHostToken[],
): Pick<ExpiringToken, "principal" | "remedy"> {
  const host = token.host ?? "the host";
  if (isServiceAccountToken(token)) {
    const id = token.subject?.id ?? "";
    const managed = managedTokens.find(
      (item) =>
        item.runnerId === token.runnerId &&
        item.serviceAccount.toLowerCase() === id.toLowerCase() &&
        sameHost(item.host, token.host),
    );
    if (managed) {
      const runner = managed.runnerName ?? managed.runnerId;
      return {
        principal: "service account",
        remedy: `the rotate mode renews it from the variable ${managed.tokenEnv}${managed.refreshTokenEnv ? ` (and ${managed.refreshTokenEnv})` : ""}: set the new token there and run it (rotate-only: ${runner}/${managed.host}); update expiresAt in the file with it`,
      };
    }
    return {
      principal: "service account",
      remedy: `service account ${id}'s token is not in the runner-config file: add it under hostAuthenticationTokens of ${runnerLabel(token.runnerId ?? "", undefined)} to rotate it, or replace it in Gitpod by hand`,
    };
  }
  const user = token.subject?.id || token.userId;
  if (!user) return { remedy: `whoever holds it must sign in to ${host} again (the API names no owner)` };
  return { principal: "user", remedy: `user ${user} must sign in to ${host} again` };
}
