/** Builds the plan: desired state vs the runners' current state. Pure: no I/O. */
import type { HostAuthenticationToken } from "../api/schemas.js";
import type { DesiredState } from "../config/types.js";
import type { RunnerState } from "./current-state.js";
import { environmentClassSync } from "./environment-classes.js";
import { hostTokenSync } from "./host-tokens.js";
import type { Plan, PlanOptions } from "./plan-types.js";
import { scmIntegrationSync } from "./scm-integrations.js";

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
      const context = { runnerId: runner.id, options, tokens: tokens.get(runner.id) };
      const disabled = (state?.environmentClasses ?? []).filter((c) => c.enabled !== true).length;
      return {
        runnerId: runner.id,
        runnerName: runner.name,
        disabledEnvironmentClasses: disabled,
        ...(state?.notes?.length ? { notes: [...state.notes] } : {}),
        operations: [
          ...environmentClassSync.diff(runner.environmentClasses, state?.environmentClasses ?? [], context),
          ...scmIntegrationSync.diff(runner.scmIntegrations, state?.scmIntegrations ?? [], context),
          ...hostTokenSync.diff(
            runner.id,
            runner.hostAuthenticationTokens,
            state?.hostAuthenticationTokens ?? [],
            {
              prune: options.prune,
              rotateSecrets: options.rotateSecrets,
              integrations: state?.scmIntegrations ?? [],
            },
          ),
        ],
      };
    }),
  };
}
