/** Reads what the runners have now: schema and, through each resource kind, their objects (all pages). */
import type { GitpodClient } from "../api/client.js";
import { GitpodApiError } from "../api/errors.js";
import type { RunnerConfigurationSchema } from "../api/resources/schema.wire.js";
import type { DesiredState } from "../config/desired-state.js";
import { ALL_KINDS, type RunnerObjects } from "../kinds/registry.js";
import type { Operation } from "./plan-types.js";
import type { KindState } from "./resource.js";

/**
 * A runner's state: its schema and each resource kind's fields (`environmentClasses:
 * EnvironmentClass[]`, ...), as the kinds' `emptyState` declare them (RunnerObjects, in the
 * registry). Each kind's module reads and diffs its own.
 */
export type RunnerState = KindState<RunnerObjects>;

/** What export reads of a runner: its objects, one list per kind (no schema). */
export type LiveRunner = Omit<RunnerState, "schema" | "notes">;

/** A runner with no objects read yet. */
export function emptyRunnerState(runnerId: string): RunnerState {
  return Object.assign({ runnerId, schema: undefined }, ...ALL_KINDS.map((kind) => kind.emptyState()));
}

export interface CurrentState {
  runners: Map<string, RunnerState>;
  /** Runners the API does not know (their schema read answered not_found). */
  missing: string[];
}

/** Runners to read per kind, for kinds read only where the file declares some (see ResourceKind). */
export type ReadScope = Partial<Record<Operation["kind"], readonly string[]>>;

/** One schema read per runner and, in parallel, each kind's reads (each runner's pages). */
export async function readCurrentState(
  client: GitpodClient,
  runnerIds: string[],
  scope: ReadScope = {},
): Promise<CurrentState> {
  const states = new Map<string, RunnerState>(
    runnerIds.map((runnerId) => [runnerId, emptyRunnerState(runnerId)]),
  );
  const [schemas] = await Promise.all([
    readSchemas(client, runnerIds),
    ...ALL_KINDS.map((kind) =>
      kind.read(client, kind.readOnlyWhereDeclared ? [...(scope[kind.kind] ?? [])] : runnerIds, states),
    ),
  ]);
  for (const [runnerId, schema] of schemas.schemas) {
    const state = states.get(runnerId);
    if (state) state.schema = schema;
  }
  return { runners: states, missing: schemas.missing };
}

/** Each runner's configuration schema (one read per runner); a runner the API does not know is `missing`. */
export async function readSchemas(
  client: GitpodClient,
  runnerIds: readonly string[],
): Promise<{ schemas: Map<string, RunnerConfigurationSchema | undefined>; missing: string[] }> {
  const missing: string[] = [];
  const schemaOf = (runnerId: string) =>
    client.schema.get({ runnerId }).catch((error: unknown) => {
      if (error instanceof GitpodApiError && error.code === "not_found") {
        missing.push(runnerId);
        return undefined;
      }
      throw error;
    });
  const schemas = await Promise.all(runnerIds.map(schemaOf));
  return { schemas: new Map(runnerIds.map((runnerId, index) => [runnerId, schemas[index]])), missing };
}

/** What destructive operations need to say what they delete, read only for these runners. */
export async function readForDestructive(
  client: GitpodClient,
  runnerIds: string[],
  states: ReadonlyMap<string, RunnerState>,
): Promise<void> {
  await Promise.all(ALL_KINDS.map((kind) => kind.readForDestructive?.(client, runnerIds, states)));
}

/** The runners whose file entry declares objects of each kind that is read only where declared. */
export function scopeOfFile(desired: DesiredState): ReadScope {
  return Object.fromEntries(
    ALL_KINDS.filter((kind) => kind.readOnlyWhereDeclared).map((kind) => [
      kind.kind,
      desired.runners.filter((runner) => kind.desired(runner).length > 0).map((runner) => runner.id),
    ]),
  );
}
