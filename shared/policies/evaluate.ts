/**
 * Evaluates a policy set on a plan: builds the variables a rule sees (docs/policies.md keeps them
 * stable), runs each rule in its scope and returns one report model, which the plan text, the job
 * summary, the PR comment and `--json` lay out (report.ts). Pure.
 */
import { SECRET_FIELDS } from "../api/rpcs.js";
import { ALL_KINDS, operationLabel } from "../kinds/registry.js";
import { type Operation, type Plan, pendingOperations } from "../sync/plan-types.js";
import type { KindState } from "../sync/resource.js";
import type { PolicyRule, PolicyScope, PolicySet, PolicySeverity } from "./load.js";

type RuleStatus = "passed" | "failed" | "error";

export interface RuleResult {
  name: string;
  description: string;
  severity: PolicySeverity;
  scope: PolicyScope;
  line: number;
  status: RuleStatus;
  /** What the rule failed on: operations (`create environment class "Large" on runner r1`), runners, or the plan. */
  violations: string[];
  /** Why the rule could not be evaluated (not a boolean, a missing field), when status is error. */
  error?: string;
}

export interface PolicyReport {
  file: string;
  rules: RuleResult[];
  /** Rules of severity error that failed or could not be evaluated: these block apply. */
  failures: number;
  /** Rules of severity warn that failed or could not be evaluated: shown, not blocking. */
  warnings: number;
  passed: number;
  /** The reason given for applying despite failures (the `policy-override` input / flag). */
  override?: string;
}

/** What a runner holds now, as each kind lists its objects (the live state the plan was made against). */
export type LiveStates = ReadonlyMap<string, KindState>;

const SECRET_FIELD_NAMES = new Set<string>(SECRET_FIELDS);
const DESTRUCTIVE_ACTIONS = new Set(["delete", "disable", "replace"]);

/** `update environment class "Large" on runner r1` */
function describeOperation(operation: Operation): string {
  return `${operation.action} ${operationLabel(operation)} on runner ${operation.runnerId}`;
}

/** The runner's live objects of each kind by id, without encrypted fields. */
function liveObjects(
  state: KindState | undefined,
): Map<string, { kind: string; object: Record<string, unknown> }> {
  const byId = new Map<string, { kind: string; object: Record<string, unknown> }>();
  for (const kind of ALL_KINDS) {
    for (const list of Object.values(kind.fingerprint(state))) {
      if (!Array.isArray(list)) continue;
      for (const object of list as Array<Record<string, unknown>>) {
        if (typeof object.id === "string") byId.set(object.id, { kind: kind.kind, object });
      }
    }
  }
  return byId;
}

/** Objects of each kind a runner has once the plan is applied (disabled classes do not count). */
function countsAfter(
  runnerOperations: readonly Operation[],
  live: Map<string, { kind: string; object: Record<string, unknown> }>,
): Record<string, bigint> {
  const counts: Record<string, bigint> = Object.fromEntries(ALL_KINDS.map((kind) => [kind.kind, 0n]));
  const leaving = new Set(
    runnerOperations
      .filter((operation) => operation.currentId && ["delete", "disable"].includes(operation.action))
      .map((operation) => operation.currentId),
  );
  for (const [id, { kind, object }] of live) {
    if (object.enabled === false || leaving.has(id)) continue;
    counts[kind] = (counts[kind] ?? 0n) + 1n;
  }
  for (const operation of runnerOperations) {
    const enabling =
      operation.action === "update" &&
      operation.currentId &&
      live.get(operation.currentId)?.object.enabled === false;
    if (operation.action === "create" || enabling)
      counts[operation.kind] = (counts[operation.kind] ?? 0n) + 1n;
    if (
      operation.action === "replace" &&
      operation.currentId &&
      live.get(operation.currentId)?.object.enabled === false
    )
      counts[operation.kind] = (counts[operation.kind] ?? 0n) + 1n;
  }
  return counts;
}

/** A live object as a rule sees it: no secret and no encrypted field (a rule has no business with them). */
function withoutEncryptedFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEncryptedFields);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !/encrypted/i.test(key) && !SECRET_FIELD_NAMES.has(key))
      .map(([key, inner]) => [key, withoutEncryptedFields(inner)]),
  );
}

/**
 * A value as rules see it: objects as Maps (the CEL library reads a Map's fields several times
 * faster than an object's) and whole numbers as CEL ints (so `x <= 20` compares like with like).
 */
function celValue(value: unknown): unknown {
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : value;
  if (value === null || typeof value !== "object" || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(celValue);
  const map = new Map<string, unknown>();
  for (const key in value) {
    const inner = (value as Record<string, unknown>)[key];
    if (inner !== undefined) map.set(key, celValue(inner));
  }
  return map;
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** `run`: the time, and the weekday, hour and date where the policy file says it is. */
export function runVariable(now: Date, timezone: string): Record<string, unknown> {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      weekday: "long",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(now)
      .map((part) => [part.type, part.value]),
  );
  return {
    time: now,
    timezone,
    weekday: parts.weekday,
    weekdayNumber: BigInt(WEEKDAYS.indexOf(parts.weekday ?? "")),
    hour: BigInt(Number(parts.hour)),
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
}

interface Subject {
  variables: Record<string, unknown>;
  /** What a failure names (made only for failures: a plan may hold 10,000 operations). */
  label: () => string;
}

export function evaluatePolicies(
  set: PolicySet,
  plan: Plan,
  states: LiveStates,
  now: Date,
  override?: string,
): PolicyReport {
  const pending = pendingOperations(plan);
  const counts: Record<string, bigint> = { create: 0n, update: 0n, replace: 0n, disable: 0n, delete: 0n };
  for (const operation of pending) counts[operation.action] = (counts[operation.action] ?? 0n) + 1n;
  const destructive = pending.filter(
    (operation) => operation.destructive || DESTRUCTIVE_ACTIONS.has(operation.action),
  );
  const planVariable = celValue({
    file: plan.file,
    counts,
    operations: BigInt(pending.length),
    destructive: destructive.map((operation) => ({
      kind: operation.kind,
      action: operation.action,
      runner: operation.runnerId,
      key: operation.key,
    })),
    options: plan.options,
  });
  const run = celValue(runVariable(now, set.timezone));

  const runners = plan.runners.map((runnerPlan) => {
    const live = liveObjects(states.get(runnerPlan.runnerId));
    const variable = celValue({
      id: runnerPlan.runnerId,
      name: runnerPlan.runnerName ?? "",
      counts: countsAfter(runnerPlan.operations, live),
    });
    const operations = runnerPlan.operations
      .filter((operation) => operation.action !== "no-op")
      .map((operation) => {
        const before = operation.currentId ? live.get(operation.currentId)?.object : undefined;
        const after = (operation as { desired?: unknown }).desired;
        return {
          variables: {
            op: celValue({
              kind: operation.kind,
              action: operation.action,
              runner: operation.runnerId,
              key: operation.key,
              destructive: operation.destructive !== undefined || DESTRUCTIVE_ACTIONS.has(operation.action),
              before: before === undefined ? null : withoutEncryptedFields(before),
              after:
                after === undefined || operation.action === "delete" || operation.action === "disable"
                  ? null
                  : after,
              changes: operation.changes.map((change) => ({
                field: change.field,
                from: change.from ?? null,
                to: change.to ?? null,
              })),
            }),
            runner: variable,
            plan: planVariable,
            run,
          },
          label: () => describeOperation(operation),
        };
      });
    return { variable, operations, label: () => `runner ${runnerPlan.runnerId}` };
  });

  const subjectsOf = (scope: PolicyScope): Subject[] => {
    if (scope === "plan") return [{ variables: { plan: planVariable, run }, label: () => "the plan" }];
    if (scope === "runner")
      return runners.map((runner) => ({
        variables: { runner: runner.variable, plan: planVariable, run },
        label: runner.label,
      }));
    return runners.flatMap((runner) => runner.operations);
  };

  const rules = set.rules.map((rule) => evaluateRule(rule, subjectsOf(rule.scope)));
  const blocking = (severity: PolicySeverity) =>
    rules.filter((rule) => rule.severity === severity && rule.status !== "passed").length;
  return {
    file: set.file,
    rules,
    failures: blocking("error"),
    warnings: blocking("warn"),
    passed: rules.filter((rule) => rule.status === "passed").length,
    ...(override ? { override } : {}),
  };
}

function evaluateRule(rule: PolicyRule, subjects: readonly Subject[]): RuleResult {
  const violations: string[] = [];
  let error: string | undefined;
  for (const subject of subjects) {
    let value: unknown;
    try {
      value = rule.program(subject.variables);
    } catch (thrown) {
      const message = thrown instanceof Error ? (thrown.message.split("\n")[0] ?? "").trim() : String(thrown);
      error ??= `${subject.label()}: ${message}`;
      violations.push(subject.label());
      continue;
    }
    if (typeof value !== "boolean") {
      error ??= `${subject.label()}: the expression gave ${value === null ? "null" : typeof value}, not true or false`;
      violations.push(subject.label());
    } else if (!value) violations.push(subject.label());
  }
  return {
    name: rule.name,
    description: rule.description,
    severity: rule.severity,
    scope: rule.scope,
    line: rule.line,
    status: error ? "error" : violations.length > 0 ? "failed" : "passed",
    violations,
    ...(error ? { error } : {}),
  };
}

/** Apply goes ahead: no error-severity rule failed, or an override reason was given. */
export function policiesAllowApply(report: PolicyReport | undefined): boolean {
  return !report || report.failures === 0 || report.override !== undefined;
}
