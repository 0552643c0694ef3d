/**
 * A fingerprint of the objects a plan was made against: every environment class and SCM integration
 * of the plan's runners (ids and all fields, the encrypted secret included) and each runner's schema
 * version. A saved plan is applied only while the fingerprint still matches.
 */
import { createHash } from "node:crypto";
import type { RunnerState } from "./current-state.js";

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

export function stateFingerprint(runners: ReadonlyMap<string, RunnerState>, runnerIds: string[]): string {
  const byId = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => (a.id < b.id ? -1 : 1));
  const parts = [...new Set(runnerIds)].sort().map((runnerId) => {
    const state = runners.get(runnerId);
    return {
      runnerId,
      schemaVersion: state?.schema?.version ?? "",
      environmentClasses: byId(state?.environmentClasses ?? []),
      scmIntegrations: byId(state?.scmIntegrations ?? []),
      ...(state?.hostAuthenticationTokens
        ? { hostAuthenticationTokens: byId(state.hostAuthenticationTokens) }
        : {}),
    };
  });
  return `sha256:${createHash("sha256")
    .update(JSON.stringify(canonical(parts)))
    .digest("hex")}`;
}
