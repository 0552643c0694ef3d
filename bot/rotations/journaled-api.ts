/**
 * The Gitpod API as a rotation protocol sees it, with the write-ahead journal around the one call
 * that changes something: the entry says "updating" before the update is sent and "updated" once
 * Gitpod confirmed it. After a crash that phase tells recovery what can be known. One wrapper for
 * the write; one adapter per credential kind's protocol API.
 */
import type { HostTokenRotationApi } from "../../shared/rotation/host-token.js";
import type { LlmKeyRotationApi } from "../../shared/rotation/llm-key.js";
import type { RotationApi } from "../../shared/rotation/types.js";
import type { BotStore } from "../state/store.js";

type Journal = { store: BotStore; journalId: string; now: () => number };

async function journaled<T>({ store, journalId, now }: Journal, write: () => Promise<T>): Promise<T> {
  // If the journal cannot say "updating", nothing is sent: better no rotation than an unjournaled one.
  await store.setRotationPhase(journalId, "updating", now());
  const result = await write();
  await store.setRotationPhase(journalId, "updated", now());
  return result;
}

/** For the OAuth client secret protocol (rotateScmCredentials). */
export function journaledApi(
  api: RotationApi,
  store: BotStore,
  journalId: string,
  now: () => number,
): RotationApi {
  const journal = { store, journalId, now };
  return {
    validate: (request, options) => api.validate(request, options),
    scmIntegrations: {
      get: (request, options) => api.scmIntegrations.get(request, options),
      update: (request, options) => journaled(journal, () => api.scmIntegrations.update(request, options)),
    },
  };
}

/** For the host token protocol (rotateHostToken). */
export function journaledHostTokenApi(
  api: HostTokenRotationApi,
  store: BotStore,
  journalId: string,
  now: () => number,
): HostTokenRotationApi {
  const journal = { store, journalId, now };
  return {
    hostAuthenticationTokens: {
      get: (request, options) => api.hostAuthenticationTokens.get(request, options),
      update: (request, options) =>
        journaled(journal, () => api.hostAuthenticationTokens.update(request, options)),
    },
  };
}

/** For the LLM API key protocol (rotateLlmKey). */
export function journaledLlmKeyApi(
  api: LlmKeyRotationApi,
  store: BotStore,
  journalId: string,
  now: () => number,
): LlmKeyRotationApi {
  const journal = { store, journalId, now };
  return {
    llmIntegrations: {
      get: (request, options) => api.llmIntegrations.get(request, options),
      update: (request, options) => journaled(journal, () => api.llmIntegrations.update(request, options)),
    },
  };
}
