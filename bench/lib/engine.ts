/**
 * The one place the benchmark touches the sync engine: the same client construction and runSync
 * call as the action and the CLI (action/client.ts, shared/sync/engine.ts), and the engine's own
 * pieces (file loader, state reader, pure plan) to time the diff alone.
 */
import { clientFor } from "../../action/client.js";
import { loadRunnerConfig } from "../../shared/config/load.js";
import { evaluatePolicies } from "../../shared/policies/evaluate.js";
import { loadPolicies } from "../../shared/policies/load.js";
import { readCurrentState } from "../../shared/sync/current-state.js";
import { runSync } from "../../shared/sync/engine.js";
import { buildPlan } from "../../shared/sync/plan.js";
import { allOperations, pendingOperations } from "../../shared/sync/plan-types.js";
import { OAUTH_SECRET, OAUTH_SECRET_ENV } from "./desired-state.js";
import { cpuMsSince } from "./measure.js";

export interface EngineTarget {
  url: string;
  token: string;
}

export type EngineMode = "plan" | "apply";

export interface EngineRun {
  /** Operations in the plan, no-ops included. */
  operations: number;
  /** Operations that change something. */
  pending: number;
  /** Problems reported before any write. */
  issues: number;
}

export const BENCH_CONFIG_FILE = "bench/runner-config.yaml";

const PLAN_OPTIONS = { prune: false, allowDestructive: false, rotateSecrets: false };

/** The environment the file's ${VAR} references resolve against. */
export function benchEnv(): Record<string, string> {
  return { [OAUTH_SECRET_ENV]: OAUTH_SECRET };
}

export interface EngineSyncOptions {
  /** Ask the server to validate the kinds the live schema check covers too, environment classes (the engine's default: true). */
  serverValidationAfterSchemaCheck?: boolean;
  /** Return the number of issues instead of throwing (the "100% invalid" scenario). */
  expectIssues?: boolean;
}

/** runSync exactly as the action calls it; throws when the engine reports a problem or a failure. */
export async function engineSync(
  target: EngineTarget,
  text: string,
  mode: EngineMode,
  concurrency: number,
  options: EngineSyncOptions = {},
): Promise<EngineRun> {
  const client = clientFor(target.token, target.url, {}, concurrency);
  try {
    const result = await runSync(client, {
      file: BENCH_CONFIG_FILE,
      text,
      env: benchEnv(),
      mode,
      concurrency,
      ...PLAN_OPTIONS,
      ...(options.serverValidationAfterSchemaCheck === false
        ? { serverValidationAfterSchemaCheck: false }
        : {}),
    });
    if (options.expectIssues) {
      return {
        operations: result.plan ? allOperations(result.plan).length : 0,
        pending: 0,
        issues: result.issues.length,
      };
    }
    if (result.issues.length > 0) {
      const first = result.issues
        .slice(0, 5)
        .map((issue) => `line ${issue.line}: ${issue.path} ${issue.message}`);
      throw new Error(`the engine's ${mode} found ${result.issues.length} problem(s): ${first.join("; ")}`);
    }
    if (!result.ok) throw new Error(`the engine's ${mode} did not succeed`);
    return {
      operations: result.plan ? allOperations(result.plan).length : 0,
      pending: result.plan ? pendingOperations(result.plan).length : 0,
      issues: 0,
    };
  } finally {
    await client.close();
  }
}

export interface PlanPhases {
  /** Reading and checking the file (YAML, structure, secret references). */
  loadCpuMs: number;
  /** RSS right after the file was loaded (its parsed document still alive). */
  rssAfterLoadBytes: number;
  /** Live heap right after the load, after a full GC (when the process runs with --expose-gc). */
  liveHeapAfterLoadBytes?: number;
  /** Reading the runners' current state from the API (all pages). */
  readWallMs: number;
  readCpuMs: number;
  /** The pure diff (buildPlan). */
  diffCpuMs: number;
  operations: number;
}

/** The engine's plan in its pieces, each timed on its own (without schema checks or validation). */
export async function planPhases(target: EngineTarget, text: string): Promise<PlanPhases> {
  let start = process.cpuUsage();
  const loaded = loadRunnerConfig(BENCH_CONFIG_FILE, text, benchEnv());
  const loadCpuMs = cpuMsSince(start);
  const rssAfterLoadBytes = process.memoryUsage().rss;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const liveHeapAfterLoadBytes = gc ? process.memoryUsage().heapUsed : undefined;
  if (!loaded.desired) throw new Error("the generated file did not load");
  const desired = loaded.desired;
  const client = clientFor(target.token, target.url, {}, 8);
  try {
    start = process.cpuUsage();
    const wallStart = performance.now();
    const current = await readCurrentState(
      client,
      desired.runners.map((runner) => runner.id),
    );
    const readWallMs = performance.now() - wallStart;
    const readCpuMs = cpuMsSince(start);
    // The reads' garbage is collected first, so the diff's time is the diff's own work and the
    // collections its own allocations cause (the whole plan's CPU, measured separately, has it all).
    gc?.();
    start = process.cpuUsage();
    const plan = buildPlan(desired, current.runners, PLAN_OPTIONS);
    const diffCpuMs = cpuMsSince(start);
    return {
      loadCpuMs,
      rssAfterLoadBytes,
      ...(liveHeapAfterLoadBytes === undefined ? {} : { liveHeapAfterLoadBytes }),
      readWallMs,
      readCpuMs,
      diffCpuMs,
      operations: allOperations(plan).length,
    };
  } finally {
    await client.close();
  }
}

export interface PolicyCost {
  /** The plan (runSync, as the action's plan mode without rules). */
  planCpuMs: number;
  /** Loading and compiling the policy file, then evaluating every rule on that plan. */
  policyCpuMs: number;
  pending: number;
  rules: number;
  /** Rule results that did not pass (the bench's rules are made to pass: every one is evaluated in full). */
  notPassed: number;
}

/**
 * The cost of policy rules next to the plan they check: the plan timed as engineSync times it, then
 * (after the runners' state is read again, untimed) the rules compiled and evaluated on that plan.
 */
export async function policyCost(
  target: EngineTarget,
  text: string,
  policyText: string,
): Promise<PolicyCost> {
  const client = clientFor(target.token, target.url, {}, 8);
  try {
    let start = process.cpuUsage();
    const result = await runSync(client, {
      file: BENCH_CONFIG_FILE,
      text,
      env: benchEnv(),
      mode: "plan",
      concurrency: 8,
      ...PLAN_OPTIONS,
    });
    const planCpuMs = cpuMsSince(start);
    if (!result.ok || !result.plan)
      throw new Error(`the plan did not succeed (${result.issues.length} issues)`);
    const runnerIds = result.plan.runners.map((runner) => runner.runnerId);
    const current = await readCurrentState(client, runnerIds);
    start = process.cpuUsage();
    const set = loadPolicies("bench/policies.yaml", policyText);
    const report = evaluatePolicies(set, result.plan, current.runners, new Date());
    const policyCpuMs = cpuMsSince(start);
    return {
      planCpuMs,
      policyCpuMs,
      pending: pendingOperations(result.plan).length,
      rules: set.rules.length,
      notPassed: report.rules.filter((rule) => rule.status !== "passed").length,
    };
  } finally {
    await client.close();
  }
}
