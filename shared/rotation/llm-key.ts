/**
 * The rotation protocol for one LLM integration's API key:
 * 1. read the integration (it exists; its endpoint); 2. test: the API has no call that tests an
 * LLM key, so this step is skipped and says so; 3. update: send the key (UpdateLLMIntegration with
 * `apiKey` only); 4. verify: read it back and report its phase (AVAILABLE, UNAVAILABLE with its
 * reason, or unknown). The key is stored encrypted and can never be read back to compare. An update
 * whose answer is lost is reported unknown and never retried here. The key never appears in the result.
 */

import type { LlmIntegration, UpdateLlmIntegrationRequest } from "../api/resources/llm-integrations.wire.js";
import { type CallOptions, signalOption } from "../api/transport.js";
import { type RotationClock, rotateInTurn, rotationResult } from "./in-turn.js";
import { RotationStepLog } from "./step-log.js";
import type { LlmPhaseWord, RotationOptions, RotationOutcome, RotationResult } from "./types.js";
import { updateThenReadBack } from "./update-read-back.js";

/** The part of GitpodClient this protocol needs; GitpodClient satisfies it. */
export interface LlmKeyRotationApi {
  llmIntegrations: {
    get(request: { id: string }, options?: CallOptions): Promise<LlmIntegration>;
    update(request: UpdateLlmIntegrationRequest, options?: CallOptions): Promise<unknown>;
  };
}

export interface LlmKeyRotationRequest {
  integrationId: string;
  /** The new API key in clear text. Never logged, never in the result. */
  apiKey: string;
  /** Other values to keep out of every word (literal request-header values). */
  alsoSecret?: readonly string[];
}

const NOT_TESTABLE = "skipped: the API has no call that tests an LLM API key before it is stored";

/** The phase in one word: AVAILABLE, UNAVAILABLE, DISABLED, or unknown (unset or a value we don't know). */
export function llmPhaseWord(phase: string | undefined): LlmPhaseWord {
  const word = (phase ?? "").replace(/^LLM_INTEGRATION_PHASE_/, "");
  return word === "AVAILABLE" || word === "UNAVAILABLE" || word === "DISABLED" ? word : "unknown";
}

/** The host of an endpoint URL (what users name an LLM integration by), or the text itself. */
export function endpointHost(endpoint: string | undefined): string {
  try {
    return new URL(endpoint ?? "").host.toLowerCase();
  } catch {
    return (endpoint ?? "").trim();
  }
}

export async function rotateLlmKey(
  api: LlmKeyRotationApi,
  request: LlmKeyRotationRequest,
  options: RotationOptions = {},
): Promise<RotationResult> {
  return rotateInTurn(`llm-integration:${request.integrationId}`, options, (clock) =>
    new LlmKeyRotation(api, request, options, clock).execute(),
  );
}

class LlmKeyRotation {
  readonly #steps: RotationStepLog;
  #read: LlmIntegration | undefined;
  #phase: LlmPhaseWord = "unknown";
  #phaseReason = "";

  constructor(
    private readonly api: LlmKeyRotationApi,
    private readonly request: LlmKeyRotationRequest,
    private readonly options: RotationOptions,
    private readonly clock: RotationClock,
  ) {
    this.#steps = new RotationStepLog([request.apiKey, ...(request.alsoSecret ?? [])]);
  }

  async execute(): Promise<RotationResult> {
    const call = signalOption(this.options.signal);
    const read = await this.#steps.run("read", async () => {
      this.#read = await this.api.llmIntegrations.get({ id: this.request.integrationId }, call);
      return { ok: true, detail: `read the LLM integration for ${endpointHost(this.#read.endpoint)}` };
    });
    if (!read)
      return this.#finish("failed", false, "Could not read the LLM integration; nothing was changed.");
    if (!this.request.apiKey.trim()) {
      this.#steps.record("test", "failed", "the new API key is empty", 0);
      return this.#finish("failed", false, "The new API key is empty; nothing was changed.");
    }
    this.#steps.record("test", "skipped", NOT_TESTABLE, 0);
    if (this.options.dryRun) {
      return this.#finish(
        "dry-run",
        false,
        "Dry run: the LLM integration exists; an API key cannot be tested before it is stored, so nothing was tested or changed.",
      );
    }

    const outcome = await updateThenReadBack(this.#steps, {
      update: async () => {
        // An update whose answer is lost is reported unknown, never sent again blind.
        await this.api.llmIntegrations.update(
          { id: this.request.integrationId, apiKey: this.request.apiKey },
          { ...call, neverRetryBlind: true },
        );
        return "sent the new API key";
      },
      readBack: async () => {
        const stored = await this.api.llmIntegrations.get({ id: this.request.integrationId }, call);
        this.#phase = llmPhaseWord(stored.phase);
        this.#phaseReason = stored.phaseReason ?? "";
        if (this.#phase === "UNAVAILABLE") {
          return {
            ok: false,
            detail: `the integration is UNAVAILABLE${this.#phaseReason ? `: ${this.#phaseReason}` : ""}`,
          };
        }
        return { ok: true, detail: `the integration is still there; phase ${this.#phase}` };
      },
    });
    if (outcome === "refused")
      return this.#finish("failed", false, "The update was refused; the stored API key is unchanged.");
    if (outcome === "no-answer") {
      return this.#finish(
        "unknown",
        "unknown",
        "The update got no answer and the key is stored encrypted, so whether the new API key is stored is unknown; the phase is unknown. It was not retried: check the integration, then run the rotation again (sending the same key again is safe).",
      );
    }
    if (outcome === "not-verified") {
      return this.#finish(
        "unverified",
        true,
        `UPDATED BUT NOT VERIFIED: ${this.#steps.detail("verify")}. Check the key and the provider now.`,
      );
    }
    return this.#finish(
      "rotated",
      true,
      `Rotated: the new API key is stored (it cannot be read back); phase ${this.#phase}.`,
    );
  }

  #finish(outcome: RotationOutcome, changed: boolean | "unknown", summary: string): RotationResult {
    const result = rotationResult(this.clock, this.#steps, "", { outcome, changed, summary });
    result.llmIntegrationId = this.request.integrationId;
    result.phase = this.#phase;
    if (this.#phaseReason) result.phaseReason = this.#steps.scrub(this.#phaseReason);
    const read = this.#read;
    if (read?.runnerId) result.runnerId = read.runnerId;
    if (read?.endpoint) {
      result.llmEndpoint = read.endpoint;
      result.host = endpointHost(read.endpoint);
    }
    return result;
  }
}
