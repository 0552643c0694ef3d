/** Builds the plan: desired state vs the runners' current state, kind by kind. Pure: no I/O. */
import type { DesiredState } from "../config/desired-state.js";
import { ALL_KINDS } from "../kinds/registry.js";
import type { RunnerState } from "./current-state.js";
import type { PlanOptions } from "./plan-base.js";
import type { Plan } from "./plan-types.js";
import type { UnmanagedObject } from "./unmanaged.js";

export function buildPlan(
  desired: DesiredState,
  current: ReadonlyMap<string, RunnerState>,
  options: PlanOptions,
): Plan {
  return {
    version: 1,
    file: desired.file,
    options,
    runners: desired.runners.map((runner) => {
      const state = current.get(runner.id);
      // With prune on, what the file does not hold is an operation (disable, delete), not drift:
      // with it off, each kind's diff lists it here as it goes (one diff per kind, not two).
      const unmanaged: UnmanagedObject[] = [];
      const context = { runnerId: runner.id, options, ...(options.prune ? {} : { unmanaged }) };
      const operations = ALL_KINDS.flatMap((kind) => kind.diff(runner, state, context));
      return {
        runnerId: runner.id,
        runnerName: runner.name,
        ...Object.assign({}, ...ALL_KINDS.map((kind) => kind.runnerPlanFields?.(state, runner))),
        ...(state?.notes?.length ? { notes: [...state.notes] } : {}),
        operations,
        ...(unmanaged.length > 0 ? { unmanaged } : {}),
      };
    }),
  };
}
