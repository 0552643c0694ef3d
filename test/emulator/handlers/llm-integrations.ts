/**
 * Create/Get/List/Update/DeleteLLMIntegration. The rules come from the service's own validation
 * rules and ona-api-today.md (docs/emulator.md lists them and marks the assumptions):
 * - runner_id and id are UUIDs and Create needs at least one model (service-rules.ts, before any
 *   handler); a model or header type number the service does not define is refused (defined_only;
 *   the decoder does that);
 * - the API key is stored only as RSA-OAEP ciphertext under the runner's public key and answered as
 *   `encryptedApiKey`; max_tokens is a uint64, answered as a decimal string;
 * - a new integration is AVAILABLE; tests set UNAVAILABLE (with a reason) through the state.
 */
import type { LlmIntegrationPhase } from "../messages.js";
import { nextPage, resolvePageRequest } from "../pagination.js";
import { type EmulatorState, providerOf, type StoredLlmIntegration } from "../store.js";
import { lookup, lookupRunner, type RpcHandler } from "./context.js";

function llmIntegrationJson(stored: StoredLlmIntegration) {
  return {
    id: stored.id,
    runnerId: stored.runnerId,
    models: [...stored.models],
    endpoint: stored.endpoint,
    encryptedApiKey: stored.encryptedApiKey,
    // uint64 in protojson: a decimal string (zero is left out, as every zero value is).
    maxTokens: stored.maxTokens === 0n ? undefined : String(stored.maxTokens),
    phase: stored.phase,
    phaseReason: stored.phaseReason,
    requestHeaders: stored.requestHeaders.map((header) => ({
      key: header.key,
      value: header.value,
      headerType:
        header.headerType === "LLM_INTEGRATION_REQUEST_HEADER_TYPE_UNSPECIFIED"
          ? undefined
          : header.headerType,
    })),
    provider: stored.provider === "LLM_PROVIDER_UNSPECIFIED" ? undefined : stored.provider,
  };
}

/** The integration by its id (a UUID by then: service-rules.ts), or not_found. */
function lookupIntegration(state: EmulatorState, id: string | undefined): StoredLlmIntegration {
  return lookup(state.llmIntegrations, id, "id", "LLM integration");
}

export const createLlmIntegration: RpcHandler<"CreateLLMIntegration"> = (request, { state }) => {
  const runner = lookupRunner(state, request.runnerId);
  // At least one model, checked before any handler (service-rules.ts).
  const models = request.models ?? [];
  const stored = state.insertLlmIntegration({
    runnerId: runner.id,
    models: [...models],
    endpoint: request.endpoint ?? "",
    encryptedApiKey: state.encryptForRunner(runner.id, request.apiKey ?? ""),
    maxTokens: request.maxTokens ?? 0n,
    phase: "LLM_INTEGRATION_PHASE_AVAILABLE",
    phaseReason: "",
    requestHeaders: [],
    provider: providerOf(models),
  });
  return { id: stored.id };
};

export const getLlmIntegration: RpcHandler<"GetLLMIntegration"> = (request, { state }) => ({
  integration: llmIntegrationJson(lookupIntegration(state, request.id)),
});

/**
 * Fields left out stay as they are. Assumption: an empty `models` or `requestHeaders` (proto3
 * repeated fields have no presence) leaves the list unchanged; a non-empty one replaces it.
 * Assumption: DISABLED reads "user disabled"; AVAILABLE clears the reason; UNSPECIFIED changes nothing.
 */
export const updateLlmIntegration: RpcHandler<"UpdateLLMIntegration"> = (request, { state }) => {
  const stored = lookupIntegration(state, request.id);
  if (request.endpoint !== undefined) stored.endpoint = request.endpoint;
  if (request.models?.length) {
    stored.models = [...request.models];
    stored.provider = providerOf(stored.models);
  }
  if (request.apiKey !== undefined)
    stored.encryptedApiKey = state.encryptForRunner(stored.runnerId, request.apiKey);
  if (request.maxTokens !== undefined) stored.maxTokens = request.maxTokens;
  if (request.phase !== undefined && request.phase !== "LLM_INTEGRATION_PHASE_UNSPECIFIED") {
    stored.phase = request.phase as LlmIntegrationPhase;
    stored.phaseReason =
      stored.phase === "LLM_INTEGRATION_PHASE_DISABLED"
        ? "user disabled"
        : stored.phase === "LLM_INTEGRATION_PHASE_AVAILABLE"
          ? ""
          : stored.phaseReason;
  }
  if (request.requestHeaders?.length) {
    stored.requestHeaders = request.requestHeaders.map((header) => ({
      key: header.key ?? "",
      value: header.value ?? "",
      headerType: header.headerType ?? "LLM_INTEGRATION_REQUEST_HEADER_TYPE_UNSPECIFIED",
    }));
  }
  return {};
};

/** Assumption: nothing in the emulator depends on an integration, so `force` changes nothing. */
export const deleteLlmIntegration: RpcHandler<"DeleteLLMIntegration"> = (request, { state }) => {
  const stored = lookupIntegration(state, request.id);
  state.deleteLlmIntegration(stored.id);
  return {};
};

export const listLlmIntegrations: RpcHandler<"ListLLMIntegrations"> = (
  request,
  { state, query, options },
) => {
  const page = resolvePageRequest(request.pagination, query, options.pageTokenTtlSeconds);
  // The filter's rules (at most 25 UUIDs) are checked before any handler (service-rules.ts).
  const runnerIds = request.filter?.runnerIds ?? [];
  const result = state.listLlmIntegrations({
    ...(runnerIds.length ? { runnerIds } : {}),
    afterSeq: page.afterSeq,
    pageSize: page.pageSize,
  });
  return {
    integrations: result.items.map(llmIntegrationJson),
    pagination: nextPage(result, options.pageTokenTtlSeconds),
  };
};
