/**
 * What a Slack rotation rotates: an SCM integration's OAuth client secret, or a service account's
 * host authentication token. The lease, the journal, recovery and four-eyes approval work on this
 * one description, so both kinds share the same protocol around their different API calls.
 */
import type { HostAuthenticationToken, ScmIntegration } from "../../shared/api/schemas.js";
import type { AuditRecord } from "../../shared/slack/audit-record.js";
import type { Approval, CredentialKind } from "../state/store.js";

/** The identity of a credential: enough to lease it, journal it and match an approval to it. */
export type CredentialRef =
  | { kind: "oauth-secret"; integrationId: string }
  | { kind: "host-token"; tokenId: string };

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

/**
 * The lease key. OAuth secrets keep the key they always had (`rotation:<integration id>`), so
 * replicas of an older and a newer bot still exclude each other during a rolling deploy.
 */
export function credentialLeaseKey(ref: CredentialRef): string {
  return ref.kind === "oauth-secret" ? `rotation:${ref.integrationId}` : `rotation:host-token:${ref.tokenId}`;
}

export function sameCredential(a: CredentialRef, b: CredentialRef): boolean {
  return credentialLeaseKey(a) === credentialLeaseKey(b);
}

/** Plain words ("github.com", "the github.com token of service account 7d1e…"); escape where shown. */
export function credentialText(credential: RotatedCredential): string {
  if (credential.kind === "oauth-secret") return credential.host ?? credential.integrationId;
  return `the ${credential.host} token of service account ${credential.serviceAccountId}`;
}

/** The audit/history action of a rotation of this kind. */
export function rotationAction(kind: CredentialKind): "rotate" | "rotate-token" {
  return kind === "oauth-secret" ? "rotate" : "rotate-token";
}

/** The credential a journal entry or an approval is about (older rows are OAuth secrets). */
export function refOf(row: {
  credential?: CredentialKind;
  integrationId: string;
  tokenId?: string;
}): CredentialRef {
  return row.credential === "host-token"
    ? { kind: "host-token", tokenId: row.tokenId ?? "" }
    : { kind: "oauth-secret", integrationId: row.integrationId };
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
  return {
    credential: "host-token",
    integrationId: credential.integrationId ?? "",
    tokenId: credential.tokenId,
    subjectId: credential.serviceAccountId,
    host: credential.host,
    runnerId: credential.runnerId,
  };
}

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
