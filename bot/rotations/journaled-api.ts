/**
 * The Gitpod API as the rotation protocol sees it, with the write-ahead journal around the one
 * call that changes something: the entry says "updating" before the update is sent and "updated"
 * once Gitpod confirmed it. After a crash that phase tells recovery what can be known.
 */
import type { RotationApi } from "../../shared/rotation/types.js";
import type { BotStore } from "../state/store.js";

export function journaledApi(
  api: RotationApi,
  store: BotStore,
  journalId: string,
  now: () => number,
): RotationApi {
  return {
    validate: (request, options) => api.validate(request, options),
    scmIntegrations: {
      get: (request, options) => api.scmIntegrations.get(request, options),
      async update(request, options) {
        // If the journal cannot say "updating", nothing is sent: better no rotation than an unjournaled one.
        await store.setRotationPhase(journalId, "updating", now());
        const result = await api.scmIntegrations.update(request, options);
        await store.setRotationPhase(journalId, "updated", now());
        return result;
      },
    },
  };
}
