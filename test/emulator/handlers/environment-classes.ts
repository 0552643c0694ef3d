/**
 * Create/List/Get/UpdateEnvironmentClass. There is no delete; the configuration is fixed at creation
 * (UpdateEnvironmentClassRequest has no configuration field, so one sent is ignored as unknown).
 * Display names need not be unique.
 */
import { invalidArgument } from "../connect-errors.js";
import { nextPage, resolvePageRequest } from "../pagination.js";
import type { StoredEnvironmentClass } from "../store.js";
import { descriptionRule, displayNameRule, environmentClassErrors, lengthRule } from "../validation.js";
import { lookup, lookupRunner, type RpcHandler } from "./context.js";

function environmentClassJson(stored: StoredEnvironmentClass) {
  return {
    id: stored.id,
    runnerId: stored.runnerId,
    configuration: stored.configuration.map((field) => ({ key: field.key, value: field.value })),
    description: stored.description,
    displayName: stored.displayName,
    enabled: stored.enabled,
  };
}

/** `display_name: must be at least 3 characters; description: ...` as one invalid_argument. */
function rejectFieldErrors(errors: Array<[string, string | undefined]>): void {
  const parts = errors.filter((entry): entry is [string, string] => Boolean(entry[1]));
  if (parts.length > 0) throw invalidArgument(parts.map(([field, rule]) => `${field}: ${rule}`).join("; "));
}

export const createEnvironmentClass: RpcHandler<"CreateEnvironmentClass"> = (request, { state }) => {
  const runner = lookupRunner(state, request.runnerId);
  const configuration = request.configuration ?? [];
  const { configurationErrors } = environmentClassErrors(runner.schema, { configuration });
  rejectFieldErrors([
    ["display_name", displayNameRule(request.displayName)],
    ["description", descriptionRule(request.description)],
    ...configurationErrors.map((error): [string, string] => [`configuration.${error.key}`, error.error]),
  ]);
  const stored = state.insertEnvironmentClass({
    runnerId: runner.id,
    displayName: request.displayName ?? "",
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
    "environment_class_id",
    "environment class",
  );
  return { environmentClass: environmentClassJson(stored) };
};

export const updateEnvironmentClass: RpcHandler<"UpdateEnvironmentClass"> = (request, { state }) => {
  const stored = lookup(
    state.environmentClasses,
    request.environmentClassId,
    "environment_class_id",
    "environment class",
  );
  rejectFieldErrors([
    ["display_name", request.displayName === undefined ? undefined : displayNameRule(request.displayName)],
    // Assumption: the field has presence, so an explicit "" is checked (and fails) like any value.
    ["description", request.description === undefined ? undefined : lengthRule(request.description, 3, 200)],
  ]);
  if (request.displayName !== undefined) stored.displayName = request.displayName;
  if (request.description !== undefined) stored.description = request.description;
  if (request.enabled !== undefined) stored.enabled = request.enabled;
  return {};
};

export const listEnvironmentClasses: RpcHandler<"ListEnvironmentClasses"> = (
  request,
  { state, query, options },
) => {
  const page = resolvePageRequest(request.pagination, query, options.pageTokenTtlSeconds);
  const filter = request.filter ?? {};
  const kinds = filter.runnerKinds?.length ? new Set<string>(filter.runnerKinds) : undefined;
  const providers = filter.runnerProviders?.length ? new Set<string>(filter.runnerProviders) : undefined;
  // Unlike `enabled`, canCreateEnvironments asks for classes the caller may use: the enabled ones.
  const onlyEnabled = filter.canCreateEnvironments === true;
  const result = state.listEnvironmentClasses({
    ...(filter.runnerIds?.length ? { runnerIds: filter.runnerIds } : {}),
    afterSeq: page.afterSeq,
    pageSize: page.pageSize,
    accept: (stored) => {
      if (filter.enabled !== undefined && stored.enabled !== filter.enabled) return false;
      if (onlyEnabled && !stored.enabled) return false;
      if (kinds || providers) {
        const runner = state.runners.get(stored.runnerId);
        if (kinds && !kinds.has(runner?.kind ?? "")) return false;
        if (providers && !providers.has(runner?.provider ?? "")) return false;
      }
      return true;
    },
  });
  return {
    environmentClasses: result.items.map(environmentClassJson),
    pagination: nextPage(result, options.pageTokenTtlSeconds),
  };
};
