/** Reads what export needs: each kind's objects of the named runners (all pages), or of every runner. */
import type { GitpodClient } from "../api/client.js";
import { GitpodApiError } from "../api/errors.js";
import { ALL_KINDS } from "../kinds/registry.js";
import type { RunnerState } from "../sync/current-state.js";
import { emptyRunnerState } from "../sync/current-state.js";
import type { ExportRunnerState } from "./export.js";

export class UnknownRunnerError extends Error {}

/**
 * `runnerIds` undefined: every runner that has an object of a kind that can be listed across
 * runners (environment classes, SCM integrations); the other kinds are read on those runners.
 */
export async function readExportState(
  client: GitpodClient,
  runnerIds: string[] | undefined,
): Promise<ExportRunnerState[]> {
  const states = new Map<string, RunnerState>();
  const stateOf = (runnerId: string): RunnerState => {
    let state = states.get(runnerId);
    if (!state) {
      state = emptyRunnerState(runnerId);
      states.set(runnerId, state);
    }
    return state;
  };
  if (runnerIds) {
    // The schema read is the one call that says whether a runner exists.
    await Promise.all(
      runnerIds.map((runnerId) =>
        client.schema.get({ runnerId }).catch((error: unknown) => {
          if (error instanceof GitpodApiError && error.code === "not_found") {
            throw new UnknownRunnerError(`runner ${runnerId} was not found (or this token cannot see it)`);
          }
          throw error;
        }),
      ),
    );
    for (const runnerId of runnerIds) stateOf(runnerId);
    await Promise.all(ALL_KINDS.map((kind) => kind.read(client, runnerIds, states)));
  } else {
    // The lists are read at once; runners are ordered as the kinds list them, in registry order.
    const listed = ALL_KINDS.filter((kind) => kind.readEveryRunner);
    const seen = listed.map(() => new Set<string>());
    await Promise.all(
      listed.map((kind, index) =>
        kind.readEveryRunner?.(client, (runnerId) => {
          seen[index]?.add(runnerId);
          return stateOf(runnerId);
        }),
      ),
    );
    const found = [...new Set(seen.flatMap((ids) => [...ids]))];
    const ordered = new Map(found.map((runnerId) => [runnerId, stateOf(runnerId)]));
    states.clear();
    for (const [runnerId, state] of ordered) states.set(runnerId, state);
    await Promise.all(
      ALL_KINDS.filter((kind) => !kind.readEveryRunner).map((kind) => kind.read(client, found, states)),
    );
  }
  return [...states.values()].map(({ schema: _schema, notes: _notes, ...objects }) => objects);
}
