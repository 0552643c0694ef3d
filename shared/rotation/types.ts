/**
 * Types of the credential-rotation protocol. A result never holds the secret: only ids, hosts,
 * outcomes and words.
 */

import type { HostTokenReads, IntegrationReads } from "../api/live-reads.js";
import type { ScmIntegration, UpdateScmIntegrationRequest } from "../api/resources/scm-integrations.wire.js";
import type {
  ValidateRunnerConfigurationRequest,
  ValidateRunnerConfigurationResponse,
} from "../api/resources/validate.wire.js";
import type { CallOptions } from "../api/transport.js";
import type { KeyedLock } from "./lock.js";
import type { ScmValidationDescription } from "./validation-in-words.js";

/** The part of GitpodClient the protocol needs; GitpodClient satisfies it. */
export interface RotationApi {
  validate(
    request: ValidateRunnerConfigurationRequest,
    options?: CallOptions,
  ): Promise<ValidateRunnerConfigurationResponse>;
  scmIntegrations: {
    get(request: { id: string }, options?: CallOptions): Promise<ScmIntegration>;
    update(request: UpdateScmIntegrationRequest, options?: CallOptions): Promise<unknown>;
  };
}

/** RotationApi plus the list reads of integrations and host tokens (bot, scheduled rotation, health check). */
export type CredentialsApi = RotationApi & IntegrationReads & HostTokenReads;

export interface RotationRequest {
  integrationId: string;
  /** The OAuth client id to store; defaults to the integration's current one. */
  clientId?: string;
  /** The new OAuth client secret in clear text. Never logged, never in the result. */
  clientSecret: string;
}

export interface RotationOptions {
  /** Stop after testing the new credentials (step 2): nothing is changed. */
  dryRun?: boolean;
  signal?: AbortSignal;
  /** Defaults to the process-wide {@link rotationLock}. */
  lock?: KeyedLock;
  /** For tests: the clock. */
  now?: () => Date;
}

/** An LLM integration's phase in one word. */
export type LlmPhaseWord = "AVAILABLE" | "UNAVAILABLE" | "DISABLED" | "unknown";

export type RotationStepName = "read" | "test" | "update" | "verify";

type RotationStepStatus = "ok" | "failed" | "skipped";

export interface RotationStep {
  step: RotationStepName;
  status: RotationStepStatus;
  /** In words, e.g. "OAuth client id and secret: bad credentials"; never a secret. */
  detail: string;
  durationMs: number;
}

/**
 * - rotated: tested, updated, read back and the stored secret validated.
 * - dry-run: the new credentials are valid; nothing was changed (dryRun).
 * - rejected: the new credentials failed the test; nothing was changed.
 * - failed: an error before the update; nothing was changed.
 * - unverified: updated, but the read-back or the validation of the stored secret failed.
 * - unknown: the update call failed and it could not be established whether it took effect.
 */
export type RotationOutcome = "rotated" | "dry-run" | "rejected" | "failed" | "unverified" | "unknown";

export interface RotationResult {
  integrationId: string;
  runnerId?: string;
  scmId?: string;
  host?: string;
  /** Set when a host token was rotated (not an OAuth secret): its id and owner in words. */
  tokenId?: string;
  tokenOwner?: string;
  /** Set when an LLM integration's API key was rotated: its id and endpoint. */
  llmIntegrationId?: string;
  llmEndpoint?: string;
  /** An LLM integration's phase after the update (unknown when it could not be read back). */
  phase?: LlmPhaseWord;
  /** Why the service says the integration is UNAVAILABLE (its words, scrubbed). */
  phaseReason?: string;
  /** The client id that was (or would be) stored. */
  clientId?: string;
  previousClientId?: string;
  outcome: RotationOutcome;
  /** Whether Gitpod's stored credentials changed: true, false, or "unknown". */
  changed: boolean | "unknown";
  /** All four steps, in order; steps that did not run are "skipped". */
  steps: RotationStep[];
  /** The test of the new credentials (step 2), when it ran. */
  newCredentials?: ScmValidationDescription;
  /** The validation of the stored secret (step 4), when it ran. */
  storedCredentials?: ScmValidationDescription;
  /** One line in words, e.g. "Rotated the OAuth secret of github.com on runner d2c9…". */
  summary: string;
  startedAt: string;
  finishedAt: string;
  /** How long this rotation waited for another rotation of the same integration. */
  waitedMs: number;
}
