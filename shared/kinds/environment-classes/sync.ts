/**
 * Environment classes: diff and apply. The API has no delete and cannot change a class's
 * configuration, so a configuration change is a replace (create the new class, then disable the
 * old one) and pruning disables. An entry pinned by `id:` is that class: a new display name is an
 * update of it (a rename in place, which keeps what points at the class by id), and a new
 * configuration is refused before planning (checkAgainstCurrent).
 */
import { randomUUID } from "node:crypto";
import type { GitpodClient } from "../../api/client.js";
import { GitpodApiError } from "../../api/errors.js";
import { environmentClassesOfRunner, everyEnvironmentClass, readEachRunner } from "../../api/live-reads.js";
import type { FieldValue } from "../../api/resources/common.wire.js";
import type { EnvironmentClass } from "../../api/resources/environment-classes.wire.js";
import { withLineOf } from "../../config/positions.js";
import type { ConfigIssue, RunnerEntry } from "../../config/types.js";
import { OutcomeUnknownError } from "../../sync/outcome.js";
import { type FieldChange, fieldChange } from "../../sync/plan-base.js";
import type { FieldError, ResourceKind } from "../../sync/resource.js";
import { sortedById } from "../../sync/sorted-by-id.js";
import { pruneOrList, type UnmanagedObject } from "../../sync/unmanaged.js";
import { runnerLabel } from "../../text/runner-label.js";
import { type DesiredEnvironmentClass, environmentClassFormat } from "./file-format.js";
import type { EnvironmentClassOperation } from "./operation.js";

function configurationMap(configuration: FieldValue[] | undefined): Map<string, string> {
  return new Map((configuration ?? []).map((field) => [field.key ?? "", field.value ?? ""]));
}

function sameConfiguration(current: FieldValue[] | undefined, desired: Record<string, string>): boolean {
  const map = configurationMap(current);
  const keys = Object.keys(desired);
  return map.size === keys.length && keys.every((key) => map.get(key) === desired[key]);
}

function configurationChanges(
  current: FieldValue[] | undefined,
  desired: Record<string, string>,
): FieldChange[] {
  const map = configurationMap(current);
  const changes: FieldChange[] = [];
  for (const [key, value] of Object.entries(desired)) {
    if (map.get(key) !== value) changes.push(fieldChange(`configuration.${key}`, map.get(key), value));
  }
  for (const [key, value] of map) {
    if (!(key in desired)) changes.push(fieldChange(`configuration.${key}`, value, undefined));
  }
  return changes;
}

/** Picks the existing class a desired one corresponds to, among those with its display name. */
function pickMatch(
  candidates: EnvironmentClass[],
  desired: DesiredEnvironmentClass,
): EnvironmentClass | undefined {
  return (
    candidates.find((c) => sameConfiguration(c.configuration, desired.configuration) && c.enabled) ??
    candidates.find((c) => sameConfiguration(c.configuration, desired.configuration)) ??
    candidates.find((c) => c.enabled) ??
    candidates[0]
  );
}

/** Description and `enabled` of a class the entry matched (its configuration is the same). */
function updateOf(
  existing: EnvironmentClass,
  item: DesiredEnvironmentClass,
): { changes: FieldChange[]; notes: string[] } {
  const changes: FieldChange[] = [];
  const notes: string[] = [];
  if (!item.description && existing.description) {
    // The API takes 3..200 characters and says nothing of "" clearing it, so it is left as is.
    notes.push(
      `description ${JSON.stringify(existing.description)} is kept: the file has none and the API cannot clear a description`,
    );
  } else if ((existing.description ?? "") !== (item.description ?? "")) {
    changes.push(fieldChange("description", existing.description, item.description));
  }
  if ((existing.enabled ?? false) !== item.enabled) {
    changes.push(fieldChange("enabled", String(existing.enabled ?? false), String(item.enabled)));
  }
  return { changes, notes };
}

/** "rename "Small" -> "Small (legacy)" in place": what a pinned class's new display name does. */
function renameNote(from: string, to: string): string {
  return `rename ${JSON.stringify(from)} -> ${JSON.stringify(to)} in place (pinned by id: projects, prebuilds and warm pools keep using it)`;
}

/**
 * A create beside a prune's disable of a class with the same configuration looks like a rename
 * that would make a new class and retire the old one: say how to keep it instead.
 */
function noteLikelyRenames(operations: EnvironmentClassOperation[], current: EnvironmentClass[]): void {
  const byId = new Map(current.map((c) => [c.id, c]));
  const disabled = operations
    .filter((operation) => operation.action === "disable")
    .map((operation) => byId.get(operation.currentId ?? ""))
    .filter((c): c is EnvironmentClass => c !== undefined);
  for (const operation of operations) {
    if (operation.action !== "create" || !operation.desired) continue;
    const wanted = Object.fromEntries(operation.desired.configuration.map((f) => [f.key, f.value]));
    const index = disabled.findIndex((c) => sameConfiguration(c.configuration, wanted));
    const old = disabled[index];
    if (!old) continue;
    disabled.splice(index, 1);
    operation.notes = [
      ...(operation.notes ?? []),
      `looks like a rename of ${JSON.stringify(old.displayName ?? "")} (${old.id}): as written, apply creates a new class and disables the old one, and what uses it by id (projects, prebuilds, warm pools) loses it; to rename it in place, add "id: ${old.id}" to this entry`,
    ];
  }
}

function diffEnvironmentClasses(
  runnerId: string,
  desired: DesiredEnvironmentClass[],
  current: EnvironmentClass[],
  step: { prune: boolean; unmanaged?: UnmanagedObject[] | undefined },
): EnvironmentClassOperation[] {
  const byId = new Map(current.map((environmentClass) => [environmentClass.id, environmentClass]));
  // Pinned classes are never matched by name for another entry, wherever the pinning entry is.
  const matched = new Set(desired.flatMap((item) => (item.id && byId.has(item.id) ? [item.id] : [])));
  const byName = new Map<string, EnvironmentClass[]>();
  for (const environmentClass of current) {
    const name = environmentClass.displayName ?? "";
    const list = byName.get(name);
    if (list) list.push(environmentClass);
    else byName.set(name, [environmentClass]);
  }
  const operations: EnvironmentClassOperation[] = [];

  for (const item of desired) {
    const target = {
      displayName: item.displayName,
      ...(item.description === undefined ? {} : { description: item.description }),
      enabled: item.enabled,
      configuration: Object.entries(item.configuration).map(([key, value]) => ({ key, value })),
    };
    const base = {
      kind: "environmentClass" as const,
      runnerId,
      key: item.displayName,
      path: item.path,
    };
    if (item.id) {
      const pinned = byId.get(item.id);
      // An id not on the runner, or a new configuration, is refused before planning
      // (checkAgainstCurrent); nothing here may create a second class or change the wrong one.
      if (!pinned || !sameConfiguration(pinned.configuration, item.configuration)) continue;
      const { changes, notes } = updateOf(pinned, item);
      const from = pinned.displayName ?? "";
      if (from !== item.displayName) {
        changes.unshift(fieldChange("displayName", from, item.displayName));
        notes.unshift(renameNote(from, item.displayName));
      }
      operations.push(
        withLineOf(
          {
            ...base,
            action: changes.length > 0 ? "update" : "no-op",
            currentId: pinned.id,
            desired: target,
            changes,
            ...(notes.length > 0 && { notes }),
          },
          item,
        ),
      );
      continue;
    }
    const existing = pickMatch(
      (byName.get(item.displayName) ?? []).filter((c) => !matched.has(c.id)),
      item,
    );
    if (!existing) {
      const changes: FieldChange[] = [
        fieldChange("description", undefined, item.description),
        ...Object.entries(item.configuration).map(([key, value]) => ({
          field: `configuration.${key}`,
          to: value,
        })),
      ];
      if (!item.enabled) changes.push({ field: "enabled", to: "false" });
      operations.push(withLineOf({ ...base, action: "create", desired: target, changes }, item));
      continue;
    }
    matched.add(existing.id);
    if (!sameConfiguration(existing.configuration, item.configuration)) {
      operations.push(
        withLineOf(
          {
            ...base,
            action: "replace",
            currentId: existing.id,
            desired: target,
            changes: configurationChanges(existing.configuration, item.configuration),
          },
          item,
        ),
      );
      continue;
    }
    const { changes, notes } = updateOf(existing, item);
    operations.push(
      withLineOf(
        {
          ...base,
          action: changes.length > 0 ? "update" : "no-op",
          currentId: existing.id,
          desired: target,
          changes,
          ...(notes.length > 0 && { notes }),
        },
        item,
      ),
    );
  }

  for (const environmentClass of current) {
    if (matched.has(environmentClass.id) || !environmentClass.enabled) continue;
    pruneOrList(step, operations, () => ({
      kind: "environmentClass" as const,
      runnerId,
      key: environmentClass.displayName ?? environmentClass.id,
      action: "disable",
      currentId: environmentClass.id,
      changes: [fieldChange("enabled", "true", "false")],
    }));
  }
  if (step.prune) noteLikelyRenames(operations, current);
  return operations;
}

interface ClassWriter {
  client: GitpodClient;
  /** Re-reads a runner's classes after an ambiguous create. */
  relist: (runnerId: string) => Promise<EnvironmentClass[]>;
}

/** Creates a class; after an ambiguous failure, re-reads and adopts the class if it was created. */
async function createOnce(
  context: ClassWriter,
  operation: EnvironmentClassOperation,
  knownIds: ReadonlySet<string>,
) {
  const desired = operation.desired;
  if (!desired) throw new Error(`internal: create without a desired state for ${operation.key}`);
  const request = {
    runnerId: operation.runnerId,
    displayName: desired.displayName,
    ...(desired.description ? { description: desired.description } : {}),
    configuration: desired.configuration,
  };
  try {
    return (await context.client.environmentClasses.create(request)).id;
  } catch (error) {
    // The answer was lost or proves nothing (timeout, reset, 429/5xx from a gateway): look, and adopt
    // the class if it is there. Classes have no natural key and a list may lag behind a create, so not
    // seeing it proves nothing either: creating again could make a second copy. Say so instead.
    if (!(error instanceof GitpodApiError && error.outcomeUnknown)) throw error;
    const wanted = Object.fromEntries(desired.configuration.map((f) => [f.key, f.value]));
    const created = (await context.relist(operation.runnerId)).find(
      (c) =>
        c.displayName === desired.displayName &&
        !knownIds.has(c.id) &&
        sameConfiguration(c.configuration, wanted),
    );
    if (created) return created.id;
    throw new OutcomeUnknownError(
      `${error.rpc} got no usable answer (${error.code}${error.status ? `, HTTP ${error.status}` : ""}) and a re-read does not show the class yet; it may or may not exist: run plan again before applying`,
    );
  }
}

/**
 * The spec lets a create answer without the new class's id: find it by name and configuration among
 * the classes that did not exist before. Without it the follow-up cannot be done, and we say so.
 */
async function idOfCreated(
  context: ClassWriter,
  operation: EnvironmentClassOperation,
  knownIds: ReadonlySet<string>,
): Promise<string> {
  const desired = operation.desired;
  const wanted = Object.fromEntries((desired?.configuration ?? []).map((f) => [f.key, f.value]));
  const found = (await context.relist(operation.runnerId)).find(
    (c) =>
      c.displayName === desired?.displayName &&
      !knownIds.has(c.id) &&
      sameConfiguration(c.configuration, wanted),
  );
  if (found) return found.id;
  const rest =
    operation.action === "replace"
      ? `the old class ${operation.currentId} is still enabled`
      : "it is still enabled";
  throw new Error(
    `created environment class "${operation.key}", but the API answered without its id and does not list it yet, so ${rest}; run plan again to finish`,
  );
}

async function applyEnvironmentClassOperation(
  context: ClassWriter,
  operation: EnvironmentClassOperation,
  knownIds: ReadonlySet<string>,
): Promise<void> {
  const { client } = context;
  switch (operation.action) {
    case "create":
    case "replace": {
      const created = await createOnce(context, operation, knownIds);
      const needsId = operation.desired?.enabled === false || operation.action === "replace";
      if (!needsId) return;
      const id = created ?? (await idOfCreated(context, operation, knownIds));
      if (operation.desired?.enabled === false) {
        await client.environmentClasses.update({ environmentClassId: id, enabled: false });
      }
      if (operation.action === "replace" && operation.currentId) {
        await client.environmentClasses.update({ environmentClassId: operation.currentId, enabled: false });
      }
      return;
    }
    case "update": {
      const desired = operation.desired;
      if (!desired || !operation.currentId)
        throw new Error(`internal: incomplete update for ${operation.key}`);
      const renamed = operation.changes.some((change) => change.field === "displayName");
      await client.environmentClasses.update({
        environmentClassId: operation.currentId,
        // A rename in place (a class pinned by id): the same class, a new display name.
        ...(renamed ? { displayName: desired.displayName } : {}),
        // Never "": the API takes 3..200 characters; a description removed from the file is kept.
        ...(desired.description ? { description: desired.description } : {}),
        enabled: desired.enabled,
      });
      return;
    }
    case "disable":
      if (!operation.currentId) throw new Error(`internal: disable without an id for ${operation.key}`);
      await client.environmentClasses.update({ environmentClassId: operation.currentId, enabled: false });
      return;
    default:
      return;
  }
}

/** The runner an environment class is on, or undefined when the API does not know the id. */
async function runnerOfClass(client: GitpodClient, id: string): Promise<string | undefined> {
  try {
    return (await client.environmentClasses.get({ environmentClassId: id })).runnerId;
  } catch (error) {
    if (error instanceof GitpodApiError && error.code === "not_found") return undefined;
    throw error;
  }
}

/**
 * The pins the plan cannot honour, in words at their line: an id that is not on this runner (it
 * does not exist, or belongs to another runner), and a pinned class whose configuration the file
 * changes (the API cannot change it in place; replacing it is a new class, so the pin must go).
 */
async function checkPins(
  client: GitpodClient,
  runner: RunnerEntry & { readonly environmentClasses: readonly DesiredEnvironmentClass[] },
  state: { environmentClasses: EnvironmentClass[] },
): Promise<ConfigIssue[]> {
  const byId = new Map(state.environmentClasses.map((c) => [c.id, c]));
  const issues: ConfigIssue[] = [];
  const here = runnerLabel(runner.id, runner.name);
  for (const item of runner.environmentClasses) {
    if (!item.id) continue;
    const at = (field: string) => ({
      file: runner.file,
      line: item.lines[field] ?? item.line,
      column: 1,
      path: `${item.path}.${field}`,
    });
    const pinned = byId.get(item.id);
    if (!pinned) {
      // Only read when the pin is wrong: to say whether the class is elsewhere or nowhere.
      const elsewhere = await runnerOfClass(client, item.id);
      issues.push({
        ...at("id"),
        message:
          elsewhere && elsewhere !== runner.id
            ? `environment class ${item.id} belongs to runner ${elsewhere}, not to runner ${here}: move the entry to that runner, or remove id: to create a new class here`
            : `environment class ${item.id} does not exist on runner ${here}: remove id: to create a new class (export writes the ids of the classes that exist)`,
      });
      continue;
    }
    if (!sameConfiguration(pinned.configuration, item.configuration)) {
      const fields = configurationChanges(pinned.configuration, item.configuration).map(
        (change) => change.field,
      );
      const changed = fields.map((field) => field.replace(/^configuration\./, "")).join(", ");
      // At the first changed key the file still has (a removed key has no line: the block's).
      const first = fields.find((field) => item.lines[field] !== undefined) ?? "configuration";
      issues.push({
        ...at(first),
        path: `${item.path}.configuration`,
        message: `the configuration of environment class ${JSON.stringify(pinned.displayName ?? "")} (${item.id}) cannot change in place (changed: ${changed}); the API cannot change a class's configuration: remove id: to replace the class (a new class is created and this one disabled), or keep its configuration`,
      });
    }
  }
  return issues;
}

/**
 * The disabled classes a runner carries beyond those the file itself declares disabled (one live
 * class per `enabled: false` entry of the same name): what earlier replaces and prunes left behind.
 */
function leftoverDisabledClasses(
  live: readonly EnvironmentClass[],
  runner: { readonly environmentClasses: readonly DesiredEnvironmentClass[] },
): number {
  const declared = new Map<string, number>();
  for (const item of runner.environmentClasses)
    if (!item.enabled) declared.set(item.displayName, (declared.get(item.displayName) ?? 0) + 1);
  let leftover = 0;
  for (const environmentClass of live) {
    if (environmentClass.enabled === true) continue;
    const name = environmentClass.displayName ?? "";
    const unclaimed = declared.get(name) ?? 0;
    if (unclaimed > 0) declared.set(name, unclaimed - 1);
    else leftover += 1;
  }
  return leftover;
}

/** The service refuses to create a class whose description is shorter than this (its own rule). */
const MIN_DESCRIPTION_TO_CREATE = 3;

/**
 * The classes the plan would create (new, or replacing one) without a description of at least 3
 * characters: the service refuses those creates, so the file must say more first. A class that
 * exists already may keep an empty description.
 */
function newClassesWithoutDescription(
  runner: RunnerEntry & { readonly environmentClasses: readonly DesiredEnvironmentClass[] },
  state: { environmentClasses: EnvironmentClass[] },
): ConfigIssue[] {
  const items = new Map(runner.environmentClasses.map((item) => [item.path, item]));
  const creates = diffEnvironmentClasses(
    runner.id,
    [...runner.environmentClasses],
    state.environmentClasses,
    { prune: false },
  ).filter((operation) => operation.action === "create" || operation.action === "replace");
  return creates.flatMap((operation) => {
    const item = items.get(operation.path ?? "");
    if (!item || (item.description?.trim().length ?? 0) >= MIN_DESCRIPTION_TO_CREATE) return [];
    return [
      {
        file: runner.file,
        line: item.lines.description ?? item.line,
        column: 1,
        path: `${item.path}.description`,
        message: `environment class ${JSON.stringify(item.displayName)} would be created, and the API refuses a new class without a description of ${MIN_DESCRIPTION_TO_CREATE} to 200 characters: add description:`,
      },
    ];
  });
}

export const environmentClassKind: ResourceKind<
  EnvironmentClassOperation,
  DesiredEnvironmentClass,
  "environmentClasses",
  { environmentClasses: EnvironmentClass[] },
  {
    /**
     * Disabled environment classes the runner already carries: they cannot be deleted, and every
     * configuration change adds one.
     */
    disabledEnvironmentClasses: number;
  }
> = {
  kind: "environmentClass",
  label: "environment class",
  itemLabel: (key) => `environment class "${key}"`,
  file: environmentClassFormat,
  emptyState: () => ({ environmentClasses: [] }),
  desired: (runner) => runner.environmentClasses,
  // The live schema check covers a class's configuration; the server round is a second opinion.
  needsServerValidationAfterSchemaCheck: false,
  // Classes hold no secrets.
  validationSendsSecrets: false,
  fingerprint: (state) => ({ environmentClasses: sortedById(state?.environmentClasses ?? []) }),
  async read(client, runnerIds, states) {
    const classes = await readEachRunner(runnerIds, (runnerId) =>
      environmentClassesOfRunner(client, runnerId),
    );
    for (const environmentClass of classes)
      states.get(environmentClass.runnerId)?.environmentClasses.push(environmentClass);
  },
  async readEveryRunner(client, stateOf) {
    const classes = await everyEnvironmentClass(client);
    for (const environmentClass of classes)
      stateOf(environmentClass.runnerId ?? "").environmentClasses.push(environmentClass);
  },
  runnerPlanFields: (state, runner) => ({
    disabledEnvironmentClasses: leftoverDisabledClasses(state?.environmentClasses ?? [], runner),
  }),
  runnerNotes(runner) {
    const disabled = runner.disabledEnvironmentClasses ?? 0;
    if (disabled === 0) return [];
    return [
      `${disabled} disabled environment class${disabled === 1 ? "" : "es"} already on this runner (classes cannot be deleted; each configuration change disables one more)`,
    ];
  },
  checkAgainstCurrent: async (client, runner, state) => [
    ...(await checkPins(client, runner, state)),
    ...newClassesWithoutDescription(runner, state),
  ],
  // Pruned, or unmanaged without prune: enabled classes not in the file (disabled ones are history, never drift).
  diff: (runner, state, context) =>
    diffEnvironmentClasses(context.runnerId, runner.environmentClasses, state?.environmentClasses ?? [], {
      prune: context.options.prune,
      unmanaged: context.unmanaged,
    }),
  validationRequest(operation) {
    if (!isWrite(operation) || !operation.desired) return undefined;
    const { displayName, description, configuration } = operation.desired;
    return {
      runnerId: operation.runnerId,
      environmentClass: {
        // The SDK's EnvironmentClass requires id and runnerId: the class's own id for an update, a
        // fresh one for a class that a create or replace would make.
        id: operation.action === "update" && operation.currentId ? operation.currentId : randomUUID(),
        runnerId: operation.runnerId,
        displayName,
        ...(description ? { description } : {}),
        configuration,
      },
    };
  },
  validationErrors(result) {
    const classResult = result.environmentClass;
    if (!classResult || classResult.valid === true) return undefined;
    const errors: FieldError[] = [];
    if (classResult.displayNameError)
      errors.push({ field: "displayName", message: classResult.displayNameError });
    if (classResult.descriptionError)
      errors.push({ field: "description", message: classResult.descriptionError });
    for (const error of classResult.configurationErrors ?? []) {
      errors.push({
        field: `configuration.${error.key ?? ""}`,
        message: `${error.key}: ${error.error ?? "invalid"}`,
      });
    }
    return errors;
  },
  secretVariables: () => [],
  applier(context) {
    // Built once per apply and shared read-only: a copy per operation would make an apply quadratic
    // in the runner's classes.
    const knownIds = new Set(
      [...context.before.values()].flatMap((state) => state.environmentClasses.map((c) => c.id)),
    );
    const writer: ClassWriter = {
      client: context.client,
      relist: (runnerId) => environmentClassesOfRunner(context.client, runnerId),
    };
    return { apply: (operation) => applyEnvironmentClassOperation(writer, operation, knownIds) };
  },
};

function isWrite(operation: EnvironmentClassOperation): boolean {
  return operation.action === "create" || operation.action === "update" || operation.action === "replace";
}
