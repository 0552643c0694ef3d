/**
 * Create/List/Get/UpdateEnvironmentClass. There is no delete; the configuration is fixed at creation
 * (UpdateEnvironmentClassRequest has no configuration field, so one sent is ignored as unknown).
 * Display names need not be unique.
 */
import type { EnvironmentClass } from "../../../shared/api/schemas.js";
import { invalidArgument } from "../connect-errors.js";
import { paginate, resolvePageRequest } from "../pagination.js";
import type { StoredEnvironmentClass } from "../store.js";
import { descriptionError, displayNameError, environmentClassErrors, joinErrors } from "../validation.js";
import { lookup, lookupRunner, type RpcHandler } from "./context.js";

export function environmentClassJson(stored: StoredEnvironmentClass): EnvironmentClass {
  return {
    id: stored.id,
    runnerId: stored.runnerId,
    configuration: stored.configuration.map((field) => ({ key: field.key, value: field.value })),
    description: stored.description,
    displayName: stored.displayName,
    enabled: stored.enabled,
  };
}

export const createEnvironmentClass: RpcHandler<"CreateEnvironmentClass"> = (request, { state }) => {
  const runner = lookupRunner(state, request.runnerId);
  const configuration = request.configuration ?? [];
  const errors = environmentClassErrors(runner.schema, {
    displayName: request.displayName,
    description: request.description,
    configuration,
  });
  const message = joinErrors({
    displayName: errors.displayNameError,
    description: errors.descriptionError,
    configuration: errors.configurationErrors.map((error) => `${error.key}: ${error.error}`).join(", "),
  });
  if (message) throw invalidArgument(message);
  const stored = state.insertEnvironmentClass({
    runnerId: runner.id,
    displayName: request.displayName,
    description: request.description ?? "",
    configuration: configuration.map((field) => ({ key: field.key ?? "", value: field.value ?? "" })),
    enabled: true,
  });
  return { id: stored.id };
};

export const getEnvironmentClass: RpcHandler<"GetEnvironmentClass"> = (request, { state }) => {
  const stored = lookup(
    state.environmentClasses,
    request.environmentClassId,
    "environmentClassId",
    "environment class",
  );
  return { environmentClass: environmentClassJson(stored) };
};

export const updateEnvironmentClass: RpcHandler<"UpdateEnvironmentClass"> = (request, { state }) => {
  const stored = lookup(
    state.environmentClasses,
    request.environmentClassId,
    "environmentClassId",
    "environment class",
  );
  const message = joinErrors({
    displayName: request.displayName === undefined ? undefined : displayNameError(request.displayName),
    description: descriptionError(request.description),
  });
  if (message) throw invalidArgument(message);
  if (request.displayName !== undefined) stored.displayName = request.displayName;
  if (request.description !== undefined) stored.description = request.description;
  if (request.enabled !== undefined) stored.enabled = request.enabled;
  return {};
};

export const listEnvironmentClasses: RpcHandler<"ListEnvironmentClasses"> = (request, { state, query }) => {
  const page = resolvePageRequest(request.pagination, query);
  const filter = request.filter ?? {};
  const runnerIds = filter.runnerIds?.length ? new Set(filter.runnerIds) : undefined;
  const kinds = filter.runnerKinds?.length ? new Set<string>(filter.runnerKinds) : undefined;
  const providers = filter.runnerProviders?.length ? new Set<string>(filter.runnerProviders) : undefined;
  // Unlike `enabled`, canCreateEnvironments asks for classes the caller may use: the enabled ones.
  const onlyEnabled = filter.canCreateEnvironments === true ? true : undefined;
  const matching: StoredEnvironmentClass[] = [];
  for (const stored of state.environmentClasses.values()) {
    if (runnerIds && !runnerIds.has(stored.runnerId)) continue;
    if (filter.enabled !== undefined && stored.enabled !== filter.enabled) continue;
    if (onlyEnabled && !stored.enabled) continue;
    if (kinds || providers) {
      const runner = state.runners.get(stored.runnerId);
      if (kinds && !kinds.has(runner?.kind ?? "")) continue;
      if (providers && !providers.has(runner?.provider ?? "")) continue;
    }
    matching.push(stored);
  }
  const result = paginate(matching, page);
  return {
    environmentClasses: result.items.map(environmentClassJson),
    pagination: { nextToken: result.nextToken },
  };
};
