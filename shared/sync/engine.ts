/**
 * The sync engine that the action and the CLI share: read the file, check it (structure, live
 * schemas, server-side validation), plan, and apply. Nothing is written unless every check passes.
 */

import type { GitpodClient } from "../api/client.js";
import { GitpodApiError } from "../api/errors.js";
import type { RunnerConfigurationSchema } from "../api/resources/schema.wire.js";
import type { DesiredState } from "../config/desired-state.js";
import { type ConfigSource, loadRunnerConfigs, sortIssues } from "../config/load.js";
import { maskedIssue } from "../config/mask.js";
import { runnerIssue } from "../config/runner-issue.js";
import { checkAgainstSchema } from "../config/schema-check.js";
import type { ConfigIssue } from "../config/types.js";
import { ALL_KINDS } from "../kinds/registry.js";
import { evaluatePolicies, type PolicyReport, policiesAllowApply } from "../policies/evaluate.js";
import type { PolicySet } from "../policies/load.js";
import { runnerLabel } from "../text/runner-label.js";
import { type ApplyOptions, type ApplyResult, applyPlan } from "./apply.js";
import { readCurrentState, readForDestructive, readSchemas, scopeOfFile } from "./current-state.js";
import { stateFingerprint } from "./fingerprint.js";
import { checkUnsetSecrets } from "./needed-secrets.js";
import { buildPlan } from "./plan.js";
import type { PlanOptions } from "./plan-base.js";
import { type Plan, pendingOperations, refusedOperations } from "./plan-types.js";
import { validateRemotely } from "./remote-validation.js";
import { type ExpectedPlan, planMismatches } from "./saved-plan.js";

/**
 * Validation calls change nothing, so they may run wider than the writes; the client backs off on
 * 429 if the API disagrees. Writes keep the caller's concurrency.
 */
export function validationConcurrency(writeConcurrency: number): number {
  return Math.min(64, writeConcurrency * 4);
}

/**
 * Keep-alive connections a client needs so that the widest fan-out of a sync (the validation
 * rounds) is not queued behind a narrower pool; never below the client's default of 16.
 */
export function connectionsFor(writeConcurrency: number): number {
  return Math.max(16, validationConcurrency(writeConcurrency));
}

export type SyncMode = "validate" | "plan" | "apply";

/** The config: one file, or several (one per team or runner) planned as one. */
type SyncSources = { file: string; text: string } | { sources: readonly ConfigSource[] };

export type SyncOptions = SyncSettings & SyncSources;

interface SyncSettings extends PlanOptions {
  env: Record<string, string | undefined>;
  mode: SyncMode;
  concurrency: number;
  /**
   * Also ask the server to validate new and changed objects of the kinds the live schema check
   * covers (default true; ResourceKind.needsServerValidationAfterSchemaCheck says which: environment
   * classes). The spec does not promise that the runner checks nothing beyond its schema, and a
   * rejection mid-apply would leave the apply half done. The benchmark measures both.
   */
  serverValidationAfterSchemaCheck?: boolean;
  /** Apply progress: called as each operation finishes. */
  onOutcome?: ApplyOptions["onOutcome"];
  /** Called with the plan before anything is written; resolve false to stop (nothing is applied). */
  confirm?: (plan: Plan, policies?: PolicyReport) => Promise<boolean>;
  /**
   * Apply a saved plan: the sources are the files it was made from and the options its options.
   * Nothing is written unless the files, the runners' fingerprint and the plan made now equal it
   * (saved-plan.ts); then the plan made now, which equals it, is applied.
   */
  expected?: ExpectedPlan;
  /**
   * Policy rules every plan must pass (shared/policies): evaluated on the plan made now, at plan and
   * again at apply, where a failing rule of severity error stops the apply unless `override` gives a
   * reason (which the report carries, for the summary to say).
   */
  policies?: { set: PolicySet; override?: string; now?: Date };
  /** Cancellation: stop starting writes / stop waiting for writes in flight (see applyPlan). */
  stopWrites?: AbortSignal;
  abandon?: AbortSignal;
}

export interface SyncResult {
  mode: SyncMode;
  /** Problems found before any write; when non-empty nothing was written. */
  issues: ConfigIssue[];
  plan?: Plan;
  apply?: ApplyResult;
  /** Secret values the file references, for the caller to mask in its logs. */
  secretValues: string[];
  /** Fingerprint of the objects the plan was made against (see fingerprint.ts). */
  fingerprint?: string;
  /** A saved plan (`expected`) that no longer matches, in words; nothing was written. */
  mismatch?: string[];
  /** Apply: the confirmation was declined, nothing was written. */
  declined?: boolean;
  /** The policy rules' results on the plan, when rules were given. */
  policies?: PolicyReport;
  /** Apply: a rule of severity error failed and no override was given; nothing was written. */
  policyBlocked?: boolean;
  /** Plan: changes are pending. Apply: something was written. */
  changed: boolean;
  ok: boolean;
}

/** The live-schema issues of `desired`'s items; a runner the API does not know is an issue at its id. */
function schemaIssues(
  desired: DesiredState,
  schemas: ReadonlyMap<string, RunnerConfigurationSchema | undefined>,
  missing: readonly string[],
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const runner of desired.runners) {
    if (missing.includes(runner.id)) {
      issues.push(runnerIssue(runner, `runner ${runner.id} was not found (or this token cannot see it)`));
      continue;
    }
    const schema = schemas.get(runner.id);
    if (schema) issues.push(...checkAgainstSchema(runner.file, runner, schema));
  }
  return issues;
}

/**
 * The live-schema issues of the well-formed parts of a file with structure errors: only the runners'
 * schemas are read. A failed read (a bad token, an offline API) leaves the file's own errors to
 * report; the next run after the fix checks the rest.
 */
async function checkableIssues(client: GitpodClient, checkable: DesiredState): Promise<ConfigIssue[]> {
  try {
    const { schemas, missing } = await readSchemas(
      client,
      checkable.runners.map((runner) => runner.id),
    );
    return schemaIssues(checkable, schemas, missing);
  } catch (error) {
    if (error instanceof GitpodApiError) return [];
    throw error;
  }
}

export async function runSync(client: GitpodClient, options: SyncOptions): Promise<SyncResult> {
  const sources = "sources" in options ? options.sources : [{ file: options.file, text: options.text }];
  const notAsSaved = (reasons: string[], plan?: Plan, fingerprint?: string): SyncResult => ({
    mode: options.mode,
    issues: [],
    ...(plan ? { plan } : {}),
    ...(fingerprint ? { fingerprint } : {}),
    mismatch: reasons,
    secretValues: [],
    changed: false,
    ok: false,
  });
  // A file that changed since the plan was made is refused before anything is read or loaded.
  if (options.expected) {
    const changedFiles = planMismatches(options.expected, { sources });
    if (changedFiles.length > 0) return notAsSaved(changedFiles);
  }
  const loaded = loadRunnerConfigs(sources, options.env);
  const secretValues = [...loaded.secrets.values()];
  // Every answer is scrubbed of these, even one to a call that did not send them.
  client.addSecrets(secretValues);
  const fail = (issues: ConfigIssue[], plan?: Plan): SyncResult => ({
    mode: options.mode,
    // Live-schema and server answers may quote the file's values too.
    issues: sortIssues(issues).map(maskedIssue),
    ...(plan ? { plan } : {}),
    secretValues,
    changed: false,
    ok: false,
  });
  // Without a model (syntax or structure errors) there is no plan. Where the file parses, its
  // well-formed runners and entries are still checked against the live schemas (they only read), so
  // structure and live-schema errors are reported in one run.
  if (!loaded.desired) {
    return fail([
      ...loaded.issues,
      ...(loaded.checkable ? await checkableIssues(client, loaded.checkable) : []),
    ]);
  }
  const desired = loaded.desired;

  const runnerIds = desired.runners.map((runner) => runner.id);
  const current = await readCurrentState(client, runnerIds, scopeOfFile(desired));
  // What only the runners' current objects show (a pinned id that is not there, ...).
  const currentIssues: ConfigIssue[] = [];
  for (const runner of desired.runners) {
    const state = current.runners.get(runner.id);
    if (state && !state.schema && !current.missing.includes(runner.id)) {
      state.notes = [
        ...(state.notes ?? []),
        `runner ${runnerLabel(runner.id, runner.name)} reported no configuration schema; only server-side validation applies`,
      ];
    }
    if (state) {
      for (const kind of ALL_KINDS)
        currentIssues.push(...((await kind.checkAgainstCurrent?.(client, runner, state)) ?? []));
    }
  }
  const schemas = new Map([...current.runners].map(([runnerId, state]) => [runnerId, state.schema]));
  const fileIssues = [...loaded.issues, ...schemaIssues(desired, schemas, current.missing)];
  // What the runners' objects show (a pin that is not there, a create the API would refuse) is the
  // next stage: judged on a file that is right by itself, so it is not said twice.
  const issues = fileIssues.length > 0 ? fileIssues : currentIssues;
  if (issues.length > 0) return fail(issues);

  const planOptions: PlanOptions = {
    prune: options.prune,
    allowDestructive: options.allowDestructive,
    rotateSecrets: options.rotateSecrets,
  };
  let plan = buildPlan(desired, current.runners, planOptions);
  const destructiveRunners = [
    ...new Set(
      pendingOperations(plan)
        .filter((o) => o.destructive)
        .map((o) => o.runnerId),
    ),
  ];
  if (destructiveRunners.length > 0) {
    // Say what a destructive operation would delete (users' tokens): read it only when needed.
    await readForDestructive(client, destructiveRunners, current.runners);
    plan = buildPlan(desired, current.runners, planOptions);
  }

  const skipKinds = new Set(
    options.serverValidationAfterSchemaCheck === false
      ? ALL_KINDS.filter((kind) => !kind.needsServerValidationAfterSchemaCheck).map((kind) => kind.kind)
      : [],
  );
  // Only the secrets this run sends are needed; the plan notes the others on their items.
  const unsetIssues = checkUnsetSecrets(plan, desired, loaded.unsetSecrets, options.mode, skipKinds);
  if (unsetIssues.length > 0) return fail(unsetIssues, plan);

  const remoteIssues = await validateRemotely(
    client,
    desired,
    plan,
    current.runners,
    loaded.secrets,
    validationConcurrency(options.concurrency),
    { skipKinds },
  );
  if (remoteIssues.length > 0) return fail(remoteIssues, plan);

  const pending = pendingOperations(plan).length > 0;
  const fingerprint = stateFingerprint(current.runners, runnerIds);
  if (options.expected) {
    const reasons = planMismatches(options.expected, { sources, plan, fingerprint });
    if (reasons.length > 0) return { ...notAsSaved(reasons, plan, fingerprint), secretValues };
  }
  const policies = options.policies
    ? evaluatePolicies(
        options.policies.set,
        plan,
        current.runners,
        options.policies.now ?? new Date(),
        options.policies.override,
      )
    : undefined;
  const withPolicies = policies ? { policies } : {};
  // Every result from here on carries the plan; `outcome` says what became of it.
  const withPlan = (
    outcome: Pick<SyncResult, "changed" | "ok" | "policyBlocked" | "declined">,
  ): SyncResult => ({
    mode: options.mode,
    issues: [],
    plan,
    secretValues,
    fingerprint,
    ...withPolicies,
    ...outcome,
  });
  if (options.mode !== "apply") return withPlan({ changed: pending, ok: true });
  // Apply stopped before its first write: nothing changed; `why` says which check stopped it.
  const stoppedBeforeApply = (why: Pick<SyncResult, "policyBlocked" | "declined"> = {}): SyncResult =>
    withPlan({ ...why, changed: false, ok: false });
  if (!policiesAllowApply(policies)) return stoppedBeforeApply({ policyBlocked: true });
  // Refuse the whole apply rather than apply around the destructive part.
  if (refusedOperations(plan).length > 0) return stoppedBeforeApply();
  if (pending && options.confirm && !(await options.confirm(plan, policies)))
    return stoppedBeforeApply({ declined: true });
  const apply = await applyPlan(client, plan, loaded.secrets, {
    concurrency: options.concurrency,
    before: current.runners,
    ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}),
    ...(options.stopWrites ? { stopWrites: options.stopWrites } : {}),
    ...(options.abandon ? { abandon: options.abandon } : {}),
  });
  return {
    ...withPlan({ changed: apply.outcomes.some((outcome) => outcome.status === "done"), ok: apply.ok }),
    apply,
  };
}
