/** Builds the plan: desired state vs the runners' current state. Pure: no I/O. */
import type { HostAuthenticationToken } from "../api/schemas.js";
import type { DesiredState } from "../config/types.js";
import type { RunnerState } from "./current-state.js";
import { diffEnvironmentClasses } from "./environment-classes.js";
import type { Plan, PlanOptions } from "./plan-types.js";
import { diffScmIntegrations } from "./scm-integrations.js";

export function buildPlan(
  desired: DesiredState,
  current: ReadonlyMap<string, RunnerState>,
  options: PlanOptions,
  tokens: ReadonlyMap<string, HostAuthenticationToken[]> = new Map(),
): Plan {
  return {
    version: 1,
    file: desired.file,
    options,
    runners: desired.runners.map((runner) => {
      const state = current.get(runner.id);
      return {
        runnerId: runner.id,
        runnerName: runner.name,
        operations: [
          ...diffEnvironmentClasses(
            runner.id,
            runner.environmentClasses,
            state?.environmentClasses ?? [],
            options.prune,
          ),
          ...diffScmIntegrations(runner.id, runner.scmIntegrations, state?.scmIntegrations ?? [], {
            prune: options.prune,
            rotateSecrets: options.rotateSecrets,
            tokens: tokens.get(runner.id),
          }),
        ],
      };
    }),
  };
}
