/**
 * Terraform's flow: `plan --out FILE` saves the plan with the fingerprint of the state it read;
 * `apply FILE` applies exactly that plan, and only if the runners still hold that state. The file
 * names secrets by their environment variable only.
 */
import type { GitpodClient } from "../api/client.js";
import { kindOf } from "../kinds/registry.js";
import { type ApplyOptions, type ApplyResult, applyPlan } from "./apply.js";
import { readCurrentState, scopeOfPlan } from "./current-state.js";
import { stateFingerprint } from "./fingerprint.js";
import { type Plan, pendingOperations, refusedOperations } from "./plan-types.js";

const SAVED_PLAN_FORMAT = "gitpod-runner-config-plan";

export interface SavedPlan {
  format: typeof SAVED_PLAN_FORMAT;
  version: 1;
  createdAt: string;
  /** stateFingerprint of the runners when the plan was made. */
  fingerprint: string;
  plan: Plan;
}

export function savedPlan(plan: Plan, fingerprint: string, now: Date): SavedPlan {
  return { format: SAVED_PLAN_FORMAT, version: 1, createdAt: now.toISOString(), fingerprint, plan };
}

export class SavedPlanError extends Error {}

/** Reads a saved plan, or says in words why the file is not one. */
export function parseSavedPlan(file: string, text: string): SavedPlan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new SavedPlanError(
      `${file} is not a saved plan: it is not JSON (make one with "plan --out ${file}")`,
    );
  }
  const saved = data as Partial<SavedPlan> | null;
  if (!saved || typeof saved !== "object" || saved.format !== SAVED_PLAN_FORMAT) {
    throw new SavedPlanError(`${file} is not a saved plan (make one with "plan --out ${file}")`);
  }
  if (
    saved.version !== 1 ||
    typeof saved.fingerprint !== "string" ||
    !saved.plan ||
    !Array.isArray(saved.plan.runners)
  ) {
    throw new SavedPlanError(
      `${file}: unsupported or damaged saved plan (format version ${String(saved.version)})`,
    );
  }
  return saved as SavedPlan;
}

/** Environment variables the plan's operations need (a secret is sent), that are not set. */
function missingSecretVariables(plan: Plan, env: Record<string, string | undefined>): string[] {
  const names = new Set<string>();
  for (const operation of pendingOperations(plan))
    for (const name of kindOf(operation).secretVariables(operation)) names.add(name);
  return [...names].filter((name) => !env[name]);
}

export type SavedApplyResult =
  | { status: "stale"; message: string }
  | { status: "refused"; message: string }
  | { status: "missing-secrets"; message: string; variables: string[] }
  | { status: "declined" }
  | { status: "applied"; apply: ApplyResult; secretValues: string[] };

export async function applySavedPlan(
  client: GitpodClient,
  saved: SavedPlan,
  env: Record<string, string | undefined>,
  options: ApplyOptions & { confirm?: (plan: Plan) => Promise<boolean> },
): Promise<SavedApplyResult> {
  const { plan } = saved;
  const refused = refusedOperations(plan);
  if (refused.length > 0) {
    return {
      status: "refused",
      message: `the saved plan holds ${refused.length} destructive operation(s) and was made without --allow-destructive; nothing was changed`,
    };
  }
  const missing = missingSecretVariables(plan, env);
  if (missing.length > 0) {
    return {
      status: "missing-secrets",
      variables: missing,
      message: `set ${missing.join(", ")}: the plan sends these secrets; nothing was changed`,
    };
  }
  const runnerIds = plan.runners.map((runner) => runner.runnerId);
  const current = await readCurrentState(client, runnerIds, scopeOfPlan(plan));
  const now = stateFingerprint(current.runners, runnerIds);
  if (current.missing.length > 0 || now !== saved.fingerprint) {
    return {
      status: "stale",
      message: `the runners changed since this plan was made (${saved.createdAt}): its fingerprint ${saved.fingerprint.slice(0, 19)}… no longer matches ${now.slice(0, 19)}…; nothing was changed. Run plan again.`,
    };
  }
  if (pendingOperations(plan).length > 0 && options.confirm && !(await options.confirm(plan))) {
    return { status: "declined" };
  }
  const secrets = new Map<string, string>();
  for (const operation of pendingOperations(plan)) {
    for (const name of kindOf(operation).secretVariables(operation)) {
      const value = env[name];
      if (value) secrets.set(name, value);
    }
  }
  const apply = await applyPlan(client, plan, secrets, { ...options, before: current.runners });
  return { status: "applied", apply, secretValues: [...secrets.values()] };
}
