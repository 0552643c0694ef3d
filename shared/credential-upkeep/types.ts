/**
 * Types of scheduled rotation and the credential health check. Inputs are the managed part of the
 * runner-config file (no secret values: only the names of the variables that hold them); results
 * hold ids, hosts, outcomes and words, never a secret.
 */

import type { GitpodClient } from "../api/client.js";
import type { ScmIntegration } from "../api/resources/scm-integrations.wire.js";
import type { HostTokenRotationApi } from "../rotation/host-token.js";
import type { LlmKeyRotationApi } from "../rotation/llm-key.js";
import type { CredentialsApi, LlmPhaseWord, RotationResult } from "../rotation/types.js";
import type { ScmValidationDescription } from "../rotation/validation-in-words.js";

/** The part of GitpodClient the engines use; GitpodClient satisfies it. */
export type ScheduledApi = CredentialsApi & {
  hostAuthenticationTokens: CredentialsApi["hostAuthenticationTokens"] &
    HostTokenRotationApi["hostAuthenticationTokens"];
  llmIntegrations: LlmKeyRotationApi["llmIntegrations"] & Pick<GitpodClient["llmIntegrations"], "list">;
};

export interface ManagedRunner {
  id: string;
  /** A friendly label from the file, e.g. "aws-eu". */
  name?: string;
}

/** One SCM integration of the runner-config file, as the scheduled modes need it. */
export interface ManagedScmIntegration {
  runnerId: string;
  runnerName?: string;
  scmId: string;
  host: string;
  oauth?: {
    clientId: string;
    /** The environment variable that holds the client secret (`${VAR}` in the file). */
    clientSecretEnv: string;
  };
}

/** One service account's host token of the runner-config file (no values: variable names). */
export interface ManagedHostToken {
  runnerId: string;
  runnerName?: string;
  host: string;
  serviceAccount: string;
  /** The environment variable that holds the token (`${VAR}` in the file). */
  tokenEnv: string;
  refreshTokenEnv?: string;
  /** The expiry the file gives the token (sent with it). */
  expiresAt?: string;
}

/** One LLM integration of the runner-config file (no values: variable names). */
export interface ManagedLlmIntegration {
  runnerId: string;
  runnerName?: string;
  /** The endpoint as the file writes it (the identity within a runner). */
  endpoint: string;
  /** The endpoint's host, how `rotate-only` and the reports name it. */
  host: string;
  /** The environment variable that holds the API key (`${VAR}` in the file). */
  apiKeyEnv: string;
  /** The variables of literal request-header values: never sent by a rotation, kept out of every word. */
  headerEnvs: string[];
}

// ---------------------------------------------------------------------------------------------
// Rotation
// ---------------------------------------------------------------------------------------------

export interface ScheduledRotationInput {
  integrations: readonly ManagedScmIntegration[];
  /** Service accounts' host tokens; rotated from their `tokenEnv` variables. */
  hostTokens?: readonly ManagedHostToken[];
  /** LLM integrations; their API keys are rotated from their `apiKeyEnv` variables. */
  llmIntegrations?: readonly ManagedLlmIntegration[];
  /** Where the `clientSecretEnv` variables are looked up (process.env in the action). */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * `runner/host` entries (runner = id or name): the integration's OAuth secret and the service
   * accounts' tokens for that host; `llm:runner/host` entries: the API key of the runner's LLM
   * integrations whose endpoint has that host. Empty or absent: every OAuth secret, token and key.
   */
  rotateOnly?: readonly string[];
  /** Only test the new secrets. */
  dryRun?: boolean;
}

export interface ScheduledRotationOptions {
  /** How many integrations rotate at the same time; default 4. */
  concurrency?: number;
  /** Aborts the API calls in flight (their rotations end as failed or unknown). */
  signal?: AbortSignal;
  /** Once aborted, no further rotation starts (each is refused, unchanged); those running finish. */
  stopStarting?: AbortSignal;
  now?: () => Date;
}

/**
 * - rotated / dry-run: success.
 * - refused: nothing was changed, because the input or the new secret was not acceptable
 *   (an unset variable, no such integration in Gitpod, the new secret failed the test).
 * - failed: an error before the update; nothing was changed.
 * - unverified / unknown: the update happened (or may have) but could not be confirmed.
 */
export type ScheduledRotationStatus = "rotated" | "dry-run" | "refused" | "failed" | "unverified" | "unknown";

export interface ScheduledRotationItem {
  runnerId: string;
  runnerName?: string;
  scmId: string;
  host: string;
  /** The live integration's id, when it was found. */
  integrationId?: string;
  /** Set for a service account's host token (the item is that token, not an OAuth secret). */
  serviceAccount?: string;
  /** The live host token's id, when it was found. */
  tokenId?: string;
  /** Set for an LLM integration's API key: its endpoint (host is the endpoint's host). */
  llmEndpoint?: string;
  /** The live LLM integration's id, when it was found. */
  llmIntegrationId?: string;
  status: ScheduledRotationStatus;
  /** Whether Gitpod's stored credentials changed. */
  changed: boolean | "unknown";
  /** One sentence in words; never a secret. */
  reason: string;
  /** The protocol's result, when the protocol ran. */
  rotation?: RotationResult;
}

export interface ScheduledRotationReport {
  dryRun: boolean;
  /** False when any item is not rotated (or, in a dry run, not tested ok). */
  ok: boolean;
  items: ScheduledRotationItem[];
  counts: Record<ScheduledRotationStatus, number>;
  startedAt: string;
  finishedAt: string;
}

// ---------------------------------------------------------------------------------------------
// Health check (the action's `audit` mode)
// ---------------------------------------------------------------------------------------------

export interface HealthCheckInput {
  runners: readonly ManagedRunner[];
  integrations: readonly ManagedScmIntegration[];
  /** Service accounts' tokens of the file: the health check says which variable rotates each. */
  hostTokens?: readonly ManagedHostToken[];
  /** LLM integrations of the file (the report marks which live ones the file has). */
  llmIntegrations?: readonly ManagedLlmIntegration[];
  /** Tokens expiring within this many days are reported; default 14. */
  expiryWarningDays?: number;
}

export interface HealthCheckOptions {
  /** How many validations run at the same time; default 4. */
  concurrency?: number;
  /** Aborts the API calls in flight (their rotations end as failed or unknown). */
  signal?: AbortSignal;
  /** Once aborted, no further rotation starts (each is refused, unchanged); those running finish. */
  stopStarting?: AbortSignal;
  now?: () => Date;
}

/** A host authentication token that has expired or expires within the warning window. */
export interface ExpiringToken {
  id: string;
  expiresAt: string;
  expired: boolean;
  source?: string;
  /** The user (or subject) the token belongs to. */
  owner?: string;
  /** Whose it is: a user's (they sign in again) or a service account's (rotated by the file). */
  principal?: "user" | "service account";
  /** What renews it, in words: the rotate mode's variable, or who must sign in again. */
  remedy: string;
}

export interface CheckedTokens {
  count: number;
  /** Soonest first. */
  expiring: ExpiringToken[];
}

export type HealthStatus = "healthy" | "invalid" | "expiring" | "error";

export interface CheckedIntegration {
  integration: ScmIntegration;
  runnerName?: string;
  /** In the runner-config file (false: exists only in Gitpod). */
  managed: boolean;
  /** The stored credentials' validation, or why it could not run. */
  validation: ScmValidationDescription | { error: string };
  /** The integration's host tokens, or why they could not be listed. */
  tokens: CheckedTokens | { error: string };
  /** The worst finding: error (could not check) > invalid > expiring > healthy. */
  status: HealthStatus;
  /** The findings in words, e.g. "2 host tokens expire within 14 days". */
  findings: string[];
}

/** An integration of the file that does not exist in Gitpod. */
export interface MissingIntegration {
  runnerId: string;
  runnerName?: string;
  scmId: string;
  host: string;
}

/** One LLM integration of a managed runner as the health check saw it (never its key). */
interface CheckedLlmIntegration {
  id: string;
  runnerId: string;
  runnerName?: string;
  endpoint: string;
  /** The endpoint's host. */
  host: string;
  /** How many models it serves. */
  models: number;
  phase: LlmPhaseWord;
  /** The service's reason (for UNAVAILABLE). */
  phaseReason?: string;
  /** In the runner-config file (false: exists only in Gitpod). */
  managed: boolean;
}

export interface CheckedLlmIntegrations {
  integrations: CheckedLlmIntegration[];
  /** Runners whose LLM integrations could not be listed, in words. */
  errors: string[];
  /** How many are UNAVAILABLE. */
  unavailable: number;
}

export interface HealthCheckReport {
  /**
   * False when any integration of the managed runners is invalid, has expiring or expired tokens,
   * could not be checked, or when an integration of the file is missing in Gitpod. Unmanaged
   * integrations do not make the report unhealthy by existing (that is drift, for plan/prune), but
   * their credentials are checked like every other.
   */
  healthy: boolean;
  expiryWarningDays: number;
  checkedAt: string;
  integrations: CheckedIntegration[];
  missing: MissingIntegration[];
  counts: Record<HealthStatus, number> & { unmanaged: number; missing: number };
  /**
   * The LLM integrations of the managed runners and their phases; UNAVAILABLE ones and runners
   * whose list failed make the report unhealthy. Absent in reports made without them.
   */
  llm?: CheckedLlmIntegrations;
}
