/**
 * LLM integrations: diff and apply. The endpoint is the key within a runner (llmKey). The API key
 * is stored encrypted and cannot be compared, so it is sent when the integration is created; a
 * literal header value cannot be read back either (the client hands out REDACTED), so headers are
 * compared by name, kind and CEL expression, and the whole list (literal values from their
 * variables) is sent when they differ. `enabled: false` is phase DISABLED; AVAILABLE and
 * UNAVAILABLE are the service's report (an integration out of funds is not drift): a note, never a
 * change. Only runners whose file declares LLM integrations have them read, planned and pruned, and
 * pruning one is destructive (agents lose their model).
 */
import type { GitpodClient } from "../../api/client.js";
import { GitpodApiError } from "../../api/errors.js";
import { everyLlmIntegration, llmIntegrationsOfRunner, readEachRunner } from "../../api/live-reads.js";
import {
  CEL_EXPRESSION_HEADER,
  type LlmIntegration,
  type UpdateLlmIntegrationRequest,
} from "../../api/resources/llm-integrations.wire.js";
import { withLineOf } from "../../config/positions.js";
import { deleteUnlessGone } from "../../sync/delete-unless-gone.js";
import { OutcomeUnknownError } from "../../sync/outcome.js";
import { type FieldChange, fieldChange } from "../../sync/plan-base.js";
import type { ResourceKind } from "../../sync/resource.js";
import { sortedById } from "../../sync/sorted-by-id.js";
import { pruneOrList, type UnmanagedObject } from "../../sync/unmanaged.js";
import { oneLine } from "../../text/untrusted.js";
import { secretFor } from "../scm-integrations/sync.js";
import {
  type DesiredHeader,
  type DesiredLlmIntegration,
  DISABLED,
  llmIntegrationFormat,
  llmKey,
} from "./file-format.js";
import type { LlmIntegrationOperation } from "./operation.js";

const AVAILABLE = "LLM_INTEGRATION_PHASE_AVAILABLE";
const UNAVAILABLE = "LLM_INTEGRATION_PHASE_UNAVAILABLE";
const LITERAL = "LLM_INTEGRATION_REQUEST_HEADER_TYPE_LITERAL";

type Desired = NonNullable<LlmIntegrationOperation["desired"]>;
type UpdateField = NonNullable<LlmIntegrationOperation["updateFields"]>[number];

function sameModels(a: readonly string[], b: readonly string[]): boolean {
  const left = [...new Set(a)].sort();
  const right = [...new Set(b)].sort();
  return left.length === right.length && left.every((model, index) => model === right[index]);
}

/** A header as a plan shows it: a CEL expression as written, a literal value never. */
function headerWords(header: { celExpression?: string | undefined }): string {
  return header.celExpression === undefined ? "(secret set)" : `CEL ${header.celExpression}`;
}

/** The header changes between the runner's list and the file's (literal values cannot be compared). */
function headerChanges(
  live: LlmIntegration["requestHeaders"],
  desired: readonly DesiredHeader[],
): FieldChange[] {
  const current = new Map(
    live.map((header) => [
      header.key,
      header.headerType === CEL_EXPRESSION_HEADER ? { celExpression: header.value } : {},
    ]),
  );
  const changes: FieldChange[] = [];
  for (const header of desired) {
    const field = `requestHeaders.${header.name}`;
    const before = current.get(header.name);
    current.delete(header.name);
    if (before === undefined) changes.push({ field, to: headerWords(header) });
    else if (before.celExpression !== header.celExpression)
      changes.push({ field, from: headerWords(before), to: headerWords(header) });
  }
  for (const [name, before] of current)
    changes.push({ field: `requestHeaders.${name}`, from: headerWords(before), to: "(removed)" });
  return changes;
}

function desiredOf(item: DesiredLlmIntegration): Desired {
  return {
    endpoint: item.endpoint,
    models: item.models,
    apiKeyEnv: item.apiKeyEnv,
    maxTokens: item.maxTokens,
    ...(item.requestHeaders === undefined
      ? {}
      : {
          requestHeaders: item.requestHeaders.map((header) =>
            header.celExpression === undefined
              ? { name: header.name, valueEnv: header.valueEnv }
              : { name: header.name, celExpression: header.celExpression },
          ),
        }),
    enabled: item.enabled,
  };
}

function unknownModelNote(item: DesiredLlmIntegration): string[] {
  if (item.unknownModels.length === 0) return [];
  return [
    `warning: ${item.unknownModels.join(", ")} ${item.unknownModels.length === 1 ? "is not a model" : "are not models"} this version knows; sent as written (the service's list grows, and it refuses a name it does not know)`,
  ];
}

/** What the service reports about an integration: UNAVAILABLE with its reason (never a change). */
function phaseNote(integration: LlmIntegration): string[] {
  if (integration.phase !== UNAVAILABLE) return [];
  const reason = oneLine(integration.phaseReason ?? "");
  return [`the service reports it unavailable${reason ? `: ${reason}` : ""} (reported, not a change)`];
}

function diffLlmIntegrations(
  runnerId: string,
  desired: readonly DesiredLlmIntegration[],
  current: readonly LlmIntegration[],
  options: { prune: boolean; rotateSecrets: boolean; unmanaged?: UnmanagedObject[] | undefined },
): LlmIntegrationOperation[] {
  const byKey = new Map<string, LlmIntegration>();
  const counts = new Map<string, number>();
  for (const integration of current) {
    const key = llmKey(integration);
    if (!byKey.has(key)) byKey.set(key, integration);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const matched = new Set<string>();
  const operations: LlmIntegrationOperation[] = [];

  for (const item of desired) {
    const key = llmKey(item);
    const base = {
      kind: "llmIntegration" as const,
      runnerId,
      key,
      path: item.path,
      desired: desiredOf(item),
    };
    const existing = byKey.get(key);
    if (!existing) {
      const changes: FieldChange[] = [
        { field: "models", to: item.models.join(" ") },
        { field: "apiKey", to: "(secret set)" },
      ];
      if (item.maxTokens > 0) changes.push({ field: "maxTokens", to: String(item.maxTokens) });
      for (const header of item.requestHeaders ?? [])
        changes.push({ field: `requestHeaders.${header.name}`, to: headerWords(header) });
      const updateFields: UpdateField[] = [];
      // CreateLLMIntegration takes neither headers nor a phase: an update right after sets them.
      if (item.requestHeaders && item.requestHeaders.length > 0) updateFields.push("requestHeaders");
      if (!item.enabled) {
        changes.push({ field: "enabled", to: "false" });
        updateFields.push("phase");
      }
      const notes = unknownModelNote(item);
      operations.push(
        withLineOf(
          {
            ...base,
            action: "create",
            changes,
            sendApiKey: true,
            updateFields,
            ...(notes.length > 0 ? { notes } : {}),
          },
          item,
        ),
      );
      continue;
    }
    matched.add(existing.id);
    const changes: FieldChange[] = [];
    const updateFields: UpdateField[] = [];
    const notes = [...unknownModelNote(item), ...phaseNote(existing)];
    if ((existing.endpoint ?? "") !== item.endpoint) {
      changes.push(fieldChange("endpoint", existing.endpoint, item.endpoint));
      updateFields.push("endpoint");
    }
    if (!sameModels(existing.models, item.models)) {
      changes.push(fieldChange("models", existing.models.join(" "), item.models.join(" ")));
      updateFields.push("models");
    }
    if (existing.maxTokens !== item.maxTokens) {
      changes.push(fieldChange("maxTokens", String(existing.maxTokens), String(item.maxTokens)));
      updateFields.push("maxTokens");
    }
    if (item.requestHeaders !== undefined) {
      if (item.requestHeaders.length === 0 && existing.requestHeaders.length > 0) {
        notes.push(
          `request headers ${existing.requestHeaders.map((header) => oneLine(header.key)).join(", ")} are kept: the API cannot clear the last header (an empty list reads as "unchanged"); delete them in Ona`,
        );
      } else {
        const headers = headerChanges(existing.requestHeaders, item.requestHeaders);
        if (headers.length > 0) {
          changes.push(...headers);
          updateFields.push("requestHeaders");
        }
      }
    }
    const disabled = existing.phase === DISABLED;
    if (disabled === item.enabled) {
      changes.push(fieldChange("enabled", String(!disabled), String(item.enabled)));
      updateFields.push("phase");
    }
    // The key cannot be compared (stored encrypted): rotate-secrets sends it, like an OAuth secret.
    if (options.rotateSecrets) changes.push({ field: "apiKey", to: "(secret rotated)" });
    const changed = changes.length > 0;
    if ((counts.get(key) ?? 0) > 1) {
      const count = counts.get(key) ?? 0;
      notes.push(
        `the API holds ${count} LLM integrations for ${key} on this runner; this plan keeps ${existing.id} and ${options.prune ? "deletes" : "leaves alone"} the other${count > 2 ? "s" : ""}`,
      );
    }
    operations.push(
      withLineOf(
        {
          ...base,
          action: changed ? "update" : "no-op",
          currentId: existing.id,
          changes,
          ...(changed ? { updateFields } : {}),
          ...(options.rotateSecrets ? { sendApiKey: true } : {}),
          ...(notes.length > 0 ? { notes } : {}),
        },
        item,
      ),
    );
  }

  for (const integration of current) {
    if (matched.has(integration.id)) continue;
    pruneOrList(options, operations, () => {
      const models = integration.models.join(", ") || "no model";
      return {
        kind: "llmIntegration" as const,
        runnerId,
        key: llmKey(integration),
        action: "delete",
        currentId: integration.id,
        changes: [
          { field: "integration", from: `${integration.endpoint ?? ""} (${models})`, to: "(deleted)" },
        ],
        destructive: {
          reason: "deletes the LLM integration",
          deletes: `agents on this runner that use ${models} through it lose their model`,
        },
      };
    });
  }
  return operations;
}

/** The full header list an update sends: literal values from their variables. */
function headersToSend(desired: Desired, secrets: ReadonlyMap<string, string>) {
  return (desired.requestHeaders ?? []).map((header) =>
    header.celExpression === undefined
      ? { key: header.name, value: secretFor(header.valueEnv ?? "", secrets), headerType: LITERAL }
      : { key: header.name, value: header.celExpression, headerType: CEL_EXPRESSION_HEADER },
  );
}

function updateRequest(
  id: string,
  desired: Desired,
  fields: ReadonlySet<UpdateField>,
  sendApiKey: boolean,
  secrets: ReadonlyMap<string, string>,
): UpdateLlmIntegrationRequest {
  const request: UpdateLlmIntegrationRequest = { id };
  if (fields.has("endpoint")) request.endpoint = desired.endpoint;
  if (fields.has("models")) request.models = desired.models;
  if (fields.has("maxTokens")) request.maxTokens = desired.maxTokens;
  if (fields.has("requestHeaders")) request.requestHeaders = headersToSend(desired, secrets);
  if (fields.has("phase")) request.phase = desired.enabled ? AVAILABLE : DISABLED;
  if (sendApiKey) request.apiKey = secretFor(desired.apiKeyEnv, secrets);
  return request;
}

async function createIntegration(
  client: GitpodClient,
  operation: LlmIntegrationOperation,
  secrets: ReadonlyMap<string, string>,
): Promise<void> {
  const desired = operation.desired;
  if (!desired) throw new Error(`internal: create without a desired state for ${operation.key}`);
  const apiKey = secretFor(desired.apiKeyEnv, secrets);
  const later = new Set(operation.updateFields ?? []);
  let id: string | undefined;
  try {
    ({ id } = await client.llmIntegrations.create({
      runnerId: operation.runnerId,
      models: desired.models,
      endpoint: desired.endpoint,
      apiKey,
      ...(desired.maxTokens > 0 ? { maxTokens: desired.maxTokens } : {}),
    }));
  } catch (error) {
    if (!(error instanceof GitpodApiError && error.outcomeUnknown)) throw error;
    // The answer was lost: the endpoint is not unique in the API, so creating again could make a
    // second integration. Re-read; if it landed, make it hold this key and the rest of the file.
    const landed = (await llmIntegrationsOfRunner(client, operation.runnerId)).find(
      (integration) => llmKey(integration) === operation.key,
    );
    if (!landed?.id) {
      throw new OutcomeUnknownError(
        `${error.rpc} got no usable answer (${error.code}${error.status ? `, HTTP ${error.status}` : ""}) and a re-read does not show LLM integration ${operation.key} yet; it may or may not exist: run plan again before applying`,
      );
    }
    await client.llmIntegrations.update(
      updateRequest(landed.id, desired, new Set([...later, "models", "maxTokens"]), true, secrets),
    );
    return;
  }
  if (later.size === 0) return;
  // Headers and a disabled phase are set by an update right after (CreateLLMIntegration has no
  // field for them); an answer without the id is looked up by endpoint.
  const createdId =
    id ||
    (await llmIntegrationsOfRunner(client, operation.runnerId)).find(
      (integration) => llmKey(integration) === operation.key,
    )?.id;
  try {
    if (!createdId) throw new Error("the create's answer had no id and a re-read does not list it yet");
    await client.llmIntegrations.update(updateRequest(createdId, desired, later, false, secrets));
  } catch (error) {
    const what = [...later].map((field) =>
      field === "phase" ? "its disabled phase" : "its request headers",
    );
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(
      `LLM integration ${operation.key} was created, but ${what.join(" and ")} could not be set (${cause}); it is ${later.has("phase") ? "enabled" : "without those headers"} until plan and apply run again`,
    );
  }
}

export const llmIntegrationKind: ResourceKind<
  LlmIntegrationOperation,
  DesiredLlmIntegration,
  "llmIntegrations",
  {
    /**
     * Read only for runners whose file entry declares LLM integrations (absent elsewhere, so their
     * fingerprint does not change and a file that never mentions them never prunes them).
     */
    llmIntegrations?: LlmIntegration[];
  }
> = {
  kind: "llmIntegration",
  label: "LLM integration",
  itemLabel: (key) => `LLM integration ${key}`,
  file: llmIntegrationFormat,
  emptyState: () => ({}),
  desired: (runner) => runner.llmIntegrations,
  readOnlyWhereDeclared: true,
  // ValidateRunnerConfiguration has no LLM integration (descriptors): nothing to skip or keep.
  needsServerValidationAfterSchemaCheck: true,
  // ValidateRunnerConfiguration has no field for LLM integrations: nothing is sent to validate them.
  validationSendsSecrets: false,
  fingerprint: (state) =>
    state?.llmIntegrations ? { llmIntegrations: sortedById(state.llmIntegrations) } : {},
  async readEveryRunner(client, stateOf) {
    for (const integration of await everyLlmIntegration(client)) {
      const state = stateOf(integration.runnerId);
      state.llmIntegrations ??= [];
      state.llmIntegrations.push(integration);
    }
  },
  async read(client, runnerIds, states) {
    for (const runnerId of runnerIds) {
      const state = states.get(runnerId);
      if (state) state.llmIntegrations = [];
    }
    const integrations = await readEachRunner(runnerIds, (runnerId) =>
      llmIntegrationsOfRunner(client, runnerId),
    );
    for (const integration of integrations)
      states.get(integration.runnerId)?.llmIntegrations?.push(integration);
  },
  // Unmanaged: integrations on a runner whose file lists LLM integrations, that the file does not hold.
  diff: (runner, state, context) =>
    diffLlmIntegrations(context.runnerId, runner.llmIntegrations, state?.llmIntegrations ?? [], {
      prune: context.options.prune,
      unmanaged: context.unmanaged,
      rotateSecrets: context.options.rotateSecrets,
    }),
  // ValidateRunnerConfiguration takes environment classes and SCM integrations only: the file's
  // checks are local (file-format.ts), and the service's own answer to the write is the rest.
  validationRequest: () => undefined,
  validationErrors: () => undefined,
  secretVariables: (operation) => {
    const desired = operation.desired;
    if (!desired) return [];
    const headers = operation.updateFields?.includes("requestHeaders")
      ? (desired.requestHeaders ?? []).flatMap((header) => (header.valueEnv ? [header.valueEnv] : []))
      : [];
    return [...(operation.sendApiKey ? [desired.apiKeyEnv] : []), ...headers];
  },
  applier: (context) => ({
    async apply(operation) {
      const { client, secrets } = context;
      switch (operation.action) {
        case "create":
          await createIntegration(client, operation, secrets);
          return;
        case "update": {
          if (!operation.desired || !operation.currentId)
            throw new Error(`internal: incomplete update for ${operation.key}`);
          await client.llmIntegrations.update(
            updateRequest(
              operation.currentId,
              operation.desired,
              new Set(operation.updateFields ?? []),
              operation.sendApiKey === true,
              secrets,
            ),
            // A key whose update answer is lost is never sent again blind: the run says it is unknown.
            operation.sendApiKey ? { neverRetryBlind: true } : {},
          );
          return;
        }
        case "delete":
          if (!operation.currentId) throw new Error(`internal: delete without an id for ${operation.key}`);
          await deleteUnlessGone((request) => client.llmIntegrations.delete(request), operation.currentId);
          return;
        default:
          return;
      }
    },
  }),
};
