/** Reads what the runners have now: schema and, through each resource kind, their objects (all pages). */
import type { GitpodClient } from "../api/client.js";
import { GitpodApiError } from "../api/errors.js";
import type { RunnerConfigurationSchema } from "../api/schemas.js";
import type { DesiredState } from "../config/types.js";
import { ALL_KINDS, type ResourceKinds } from "../kinds/registry.js";
import type { Operation, Plan } from "./plan-types.js";

type Intersection<U> = (U extends unknown ? (part: U) => void : never) extends (part: infer I) => void
  ? I
  : never;

/**
 * A runner's objects: each resource kind's fields (`environmentClasses: EnvironmentClass[]`, ...),
 * as its `emptyState` declares them; derived from the registry (../kinds/registry.ts). Each kind's module reads
 * and diffs its own.
 */
type RunnerObjects = Intersection<ReturnType<ResourceKinds[keyof ResourceKinds]["emptyState"]>>;

export type RunnerState = RunnerObjects & {
  runnerId: string;
  /** Undefined when the runner reported none (the spec makes it optional). */
  schema: RunnerConfigurationSchema | undefined;
  /** What the product could not read and how it degrades, in words (shown in the plan). */
  notes?: string[];
};

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

/** The same for a saved plan: the runners whose plan has operations of each such kind. */
export function scopeOfPlan(plan: Plan): ReadScope {
  return Object.fromEntries(
    ALL_KINDS.filter((kind) => kind.readOnlyWhereDeclared).map((kind) => [
      kind.kind,
      plan.runners
        .filter((runner) => runner.operations.some((operation) => operation.kind === kind.kind))
        .map((runner) => runner.runnerId),
    ]),
  );
}
