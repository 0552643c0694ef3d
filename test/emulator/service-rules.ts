/**
 * The service's field rules that hold before any handler runs, as a validating interceptor applies
 * them: ids are UUIDs, list filters hold at most 25 runner ids. Written by hand from the rules the
 * official descriptors carry (ona-api-today.md, descriptors/README.md), importing nothing from
 * them. Handlers keep the rules that need state or the runner's schema. Refusals are
 * invalid_argument naming the proto field, never its value.
 */
import { invalidArgument } from "./connect-errors.js";
import { requireUuid } from "./handlers/context.js";
import type { Requests, RpcName } from "./messages.js";

/** `(buf.validate.field).repeated.max_items` of every runner-id filter. */
const MAX_FILTER_IDS = 25;

/** A UUID when set (fields with presence, or `ignore: IGNORE_IF_UNPOPULATED`). */
function uuidIfSet(value: string | undefined, field: string): void {
  if (value !== undefined && value !== "") requireUuid(value, field);
}

/** An explicit-presence field given as "" is still checked. */
function uuidIfPresent(value: string | undefined, field: string): void {
  if (value !== undefined) requireUuid(value, field);
}

function filterIds(ids: readonly string[] | undefined, field: string): void {
  if ((ids?.length ?? 0) > MAX_FILTER_IDS) {
    throw invalidArgument(`${field}: value must contain no more than ${MAX_FILTER_IDS} item(s)`);
  }
  for (const [index, id] of (ids ?? []).entries()) requireUuid(id, `${field}[${index}]`);
}

function maxItems(items: readonly unknown[] | undefined, max: number, field: string): void {
  if ((items?.length ?? 0) > max) {
    throw invalidArgument(`${field}: value must contain no more than ${max} item(s)`);
  }
}

type Rules = { [N in RpcName]: (request: Requests[N]) => void };

const RULES: Rules = {
  // `(buf.validate.message).disabled`: the service checks no field rule here.
  ValidateRunnerConfiguration: () => {},
  CreateEnvironmentClass: (request) => requireUuid(request.runnerId, "runner_id"),
  GetEnvironmentClass: (request) => requireUuid(request.environmentClassId, "environment_class_id"),
  UpdateEnvironmentClass: (request) => requireUuid(request.environmentClassId, "environment_class_id"),
  ListEnvironmentClasses: (request) => {
    filterIds(request.filter?.runnerIds, "filter.runner_ids");
    maxItems(request.filter?.runnerKinds, MAX_FILTER_IDS, "filter.runner_kinds");
    maxItems(request.filter?.runnerProviders, MAX_FILTER_IDS, "filter.runner_providers");
  },
  CreateHostAuthenticationToken: (request) => {
    requireUuid(request.runnerId, "runner_id");
    uuidIfSet(request.userId, "user_id");
    uuidIfSet(request.integrationId, "integration_id");
  },
  GetHostAuthenticationToken: (request) => requireUuid(request.id, "id"),
  UpdateHostAuthenticationToken: (request) => requireUuid(request.id, "id"),
  DeleteHostAuthenticationToken: (request) => requireUuid(request.id, "id"),
  ListHostAuthenticationTokens: (request) => {
    uuidIfPresent(request.filter?.runnerId, "filter.runner_id");
    uuidIfPresent(request.filter?.userId, "filter.user_id");
    uuidIfPresent(request.filter?.subjectId, "filter.subject_id");
  },
  GetRunnerConfigurationSchema: (request) => requireUuid(request.runnerId, "runner_id"),
  CreateSCMIntegration: (request) => requireUuid(request.runnerId, "runner_id"),
  GetSCMIntegration: (request) => requireUuid(request.id, "id"),
  UpdateSCMIntegration: (request) => requireUuid(request.id, "id"),
  DeleteSCMIntegration: (request) => requireUuid(request.id, "id"),
  ListSCMIntegrations: (request) => filterIds(request.filter?.runnerIds, "filter.runner_ids"),
  CreateLLMIntegration: (request) => {
    requireUuid(request.runnerId, "runner_id");
    if ((request.models?.length ?? 0) === 0)
      throw invalidArgument("models: value must contain at least 1 item(s)");
  },
  GetLLMIntegration: (request) => requireUuid(request.id, "id"),
  UpdateLLMIntegration: (request) => requireUuid(request.id, "id"),
  DeleteLLMIntegration: (request) => requireUuid(request.id, "id"),
  ListLLMIntegrations: (request) => filterIds(request.filter?.runnerIds, "filter.runner_ids"),
};

/** Throws invalid_argument when a decoded request breaks one of the service's field rules. */
export function checkServiceRules<N extends RpcName>(rpc: N, request: Requests[N]): void {
  (RULES[rpc] as (request: Requests[N]) => void)(request);
}
