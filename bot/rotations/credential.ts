/**
 * What a Slack rotation rotates: an SCM integration's OAuth client secret, a service account's
 * host authentication token, or an LLM integration's API key. The lease, the journal, recovery and
 * four-eyes approval work on this one description, so the kinds share the same protocol around
 * their different API calls.
 */
import type { HostAuthenticationToken } from "../../shared/api/resources/host-authentication-tokens.wire.js";
import type { LlmIntegration } from "../../shared/api/resources/llm-integrations.wire.js";
import type { ScmIntegration } from "../../shared/api/resources/scm-integrations.wire.js";
import { endpointHost } from "../../shared/rotation/llm-key.js";
import type { AuditRecord } from "../../shared/slack/audit-record.js";
import type { Approval, CredentialKind } from "../state/store.js";

/** The identity of a credential: enough to lease it, journal it and match an approval to it. */
export type CredentialRef =
  | { kind: "oauth-secret"; integrationId: string }
  | { kind: "host-token"; tokenId: string }
  | { kind: "llm-key"; integrationId: string };

/** A credential with what people are told about it. */
export type RotatedCredential =
  | {
      kind: "oauth-secret";
      integrationId: string;
      runnerId: string;
      host?: string;
      scmId?: string;
      /** The OAuth app whose secret is rotated (what an approval is for). */
      clientId?: string;
    }
  | {
      kind: "host-token";
      tokenId: string;
      runnerId: string;
      host: string;
      serviceAccountId: string;
      /** The SCM integration the token is linked to, when it is. */
      integrationId?: string;
    }
  | {
      kind: "llm-key";
      /** The LLM integration whose API key is rotated. */
      integrationId: string;
      runnerId: string;
      /** The endpoint's host (what people name it by, and what an approval is for). */
      host: string;
    };

export function oauthSecretOf(integration: ScmIntegration): RotatedCredential {
  return {
    kind: "oauth-secret",
    integrationId: integration.id,
    runnerId: integration.runnerId,
    ...(integration.host ? { host: integration.host } : {}),
    ...(integration.scmId ? { scmId: integration.scmId } : {}),
    ...(integration.oauth?.clientId ? { clientId: integration.oauth.clientId } : {}),
  };
}

/** Only for a service account's token: users' tokens are never rotated by the bot. */
export function hostTokenOf(token: HostAuthenticationToken): RotatedCredential {
  return {
    kind: "host-token",
    tokenId: token.id,
    runnerId: token.runnerId ?? "",
    host: token.host ?? "",
    serviceAccountId: token.subject?.id ?? "",
    ...(token.integrationId ? { integrationId: token.integrationId } : {}),
  };
}

export function llmKeyOf(integration: LlmIntegration): RotatedCredential {
  return {
    kind: "llm-key",
    integrationId: integration.id,
    runnerId: integration.runnerId,
    host: endpointHost(integration.endpoint),
  };
}

/**
 * The lease key. OAuth secrets keep the key they always had (`rotation:<integration id>`), so
 * replicas of an older and a newer bot still exclude each other during a rolling deploy.
 */
export function credentialLeaseKey(ref: CredentialRef): string {
  switch (ref.kind) {
    case "oauth-secret":
      return `rotation:${ref.integrationId}`;
    case "host-token":
      return `rotation:host-token:${ref.tokenId}`;
    case "llm-key":
      return `rotation:llm-key:${ref.integrationId}`;
  }
}

export function sameCredential(a: CredentialRef, b: CredentialRef): boolean {
  return credentialLeaseKey(a) === credentialLeaseKey(b);
}

/**
 * Plain words ("github.com", "the github.com token of service account 7d1e…", "the LLM API key
 * of api.anthropic.com"); escape where shown.
 */
export function credentialText(credential: RotatedCredential): string {
  switch (credential.kind) {
    case "oauth-secret":
      return credential.host ?? credential.integrationId;
    case "host-token":
      return `the ${credential.host} token of service account ${credential.serviceAccountId}`;
    case "llm-key":
      return `the LLM API key of ${credential.host || `LLM integration ${credential.integrationId}`}`;
  }
}

/** The word for the new value a person enters for this kind ("secret", "token", "API key"). */
export function newValueWord(kind: CredentialKind): string {
  return kind === "oauth-secret" ? "secret" : kind === "host-token" ? "token" : "API key";
}

const ACTIONS = {
  "oauth-secret": "rotate",
  "host-token": "rotate-token",
  "llm-key": "rotate-llm-key",
} as const;

/** The audit/history action of a rotation of this kind. */
export function rotationAction(kind: CredentialKind): (typeof ACTIONS)[CredentialKind] {
  return ACTIONS[kind];
}

/** The credential a journal entry or an approval is about (older rows are OAuth secrets). */
export function refOf(row: {
  credential?: CredentialKind;
  integrationId: string;
  tokenId?: string;
}): CredentialRef {
  if (row.credential === "host-token") return { kind: "host-token", tokenId: row.tokenId ?? "" };
  if (row.credential === "llm-key") return { kind: "llm-key", integrationId: row.integrationId };
  return { kind: "oauth-secret", integrationId: row.integrationId };
}

/**
 * The credential a stored approval is for (rows from before host tokens are OAuth secrets; rows
 * from before migration 004 have no runner or SCM).
 */
export function credentialOfApproval(approval: Approval): RotatedCredential {
  if (approval.credential === "host-token") {
    return {
      kind: "host-token",
      tokenId: approval.tokenId ?? "",
      runnerId: approval.runnerId ?? "",
      host: approval.host ?? "",
      serviceAccountId: approval.subjectId ?? "",
      ...(approval.integrationId ? { integrationId: approval.integrationId } : {}),
    };
  }
  if (approval.credential === "llm-key") {
    return {
      kind: "llm-key",
      integrationId: approval.integrationId,
      runnerId: approval.runnerId ?? "",
      host: approval.host ?? "",
    };
  }
  return {
    kind: "oauth-secret",
    integrationId: approval.integrationId,
    runnerId: approval.runnerId ?? "",
    ...(approval.host ? { host: approval.host } : {}),
    ...(approval.scmId ? { scmId: approval.scmId } : {}),
    ...(approval.clientId ? { clientId: approval.clientId } : {}),
  };
}

/** The journal/approval columns for a credential: host tokens keep their (possibly empty) integration. */
export function credentialColumns(credential: RotatedCredential): {
  credential: CredentialKind;
  integrationId: string;
  tokenId?: string;
  subjectId?: string;
  host?: string;
  runnerId: string;
  scmId?: string;
} {
  if (credential.kind === "oauth-secret") {
    return {
      credential: "oauth-secret",
      integrationId: credential.integrationId,
      runnerId: credential.runnerId,
      ...(credential.host ? { host: credential.host } : {}),
      ...(credential.scmId ? { scmId: credential.scmId } : {}),
    };
  }
  if (credential.kind === "llm-key") {
    return {
      credential: "llm-key",
      integrationId: credential.integrationId,
      runnerId: credential.runnerId,
      ...(credential.host ? { host: credential.host } : {}),
    };
  }
  return {
    credential: "host-token",
    integrationId: credential.integrationId ?? "",
    tokenId: credential.tokenId,
    subjectId: credential.serviceAccountId,
    host: credential.host,
    runnerId: credential.runnerId,
  };
}

/** What an LLM API key's audit records and history rows name as their target, beside the endpoint's host. */
export const LLM_KEY_TARGET = "LLM API key";

/** The audit record's fields naming the credential (never a secret). */
export function auditFieldsOf(
  credential: RotatedCredential,
): Pick<AuditRecord, "integrationId" | "runnerId" | "host" | "scmId" | "tokenId" | "tokenOwner" | "target"> {
  if (credential.kind === "oauth-secret") {
    return {
      ...(credential.integrationId ? { integrationId: credential.integrationId } : {}),
      ...(credential.runnerId ? { runnerId: credential.runnerId } : {}),
      ...(credential.host ? { host: credential.host } : {}),
      ...(credential.scmId ? { scmId: credential.scmId } : {}),
    };
  }
  if (credential.kind === "llm-key") {
    return {
      integrationId: credential.integrationId,
      ...(credential.runnerId ? { runnerId: credential.runnerId } : {}),
      ...(credential.host ? { host: credential.host } : {}),
      target: LLM_KEY_TARGET,
    };
  }
  const owner = `service account ${credential.serviceAccountId}`;
  return {
    ...(credential.integrationId ? { integrationId: credential.integrationId } : {}),
    ...(credential.runnerId ? { runnerId: credential.runnerId } : {}),
    host: credential.host,
    tokenId: credential.tokenId,
    tokenOwner: owner,
    target: owner,
  };
}
