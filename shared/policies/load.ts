/**
 * The policy file (`.gitpod/policies.yaml`): rules in CEL that every plan must pass. Each rule is
 * parsed and type-checked here, when the file is read, against the variables its scope sees, so a
 * rule that cannot compile or cannot be true/false is an error at its line before anything is
 * planned (docs/policies.md). Pure: the caller reads the file.
 */
import { Environment } from "@marcbachmann/cel-js";
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from "yaml";
import type { ConfigIssue } from "../config/types.js";

export const DEFAULT_POLICY_FILE = ".gitpod/policies.yaml";

export type PolicySeverity = "error" | "warn";
/** `operation`: once per pending operation (sees `op`); `runner`: once per runner; `plan`: once. */
export type PolicyScope = "operation" | "runner" | "plan";

/** A compiled rule: true passes. */
type RuleProgram = (variables: Record<string, unknown>) => unknown;

export interface PolicyRule {
  name: string;
  description: string;
  severity: PolicySeverity;
  scope: PolicyScope;
  expression: string;
  line: number;
  program: RuleProgram;
}

export interface PolicySet {
  file: string;
  /** IANA time zone for `run.weekday`, `run.hour` and `run.date` (default UTC). */
  timezone: string;
  rules: PolicyRule[];
}

export class PolicyFileError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map((issue) => `${issue.file}:${issue.line}: ${issue.path}: ${issue.message}`).join("\n"));
  }
}

const SEVERITIES: readonly PolicySeverity[] = ["error", "warn"];
const SCOPES: readonly PolicyScope[] = ["operation", "runner", "plan"];
const RULE_FIELDS = ["name", "description", "severity", "scope", "expression"];
const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The variables each scope sees; a rule naming another one does not compile. */
const SCOPE_VARIABLES: Record<PolicyScope, readonly string[]> = {
  operation: ["op", "runner", "plan", "run"],
  runner: ["runner", "plan", "run"],
  plan: ["plan", "run"],
};

const environments = new Map<PolicyScope, Environment>();
function environmentFor(scope: PolicyScope): Environment {
  let environment = environments.get(scope);
  if (!environment) {
    environment = new Environment({ unlistedVariablesAreDyn: false });
    for (const name of SCOPE_VARIABLES[scope]) environment.registerVariable(name, "map");
    environments.set(scope, environment);
  }
  return environment;
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The compiler's message without its source excerpt (the file and line say where). */
function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).trim();
}

/** Reads and compiles a policy file, or throws PolicyFileError with every problem at its line. */
export function loadPolicies(file: string, text: string): PolicySet {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const issues: ConfigIssue[] = [];
  const lineOf = (node: Node | null | undefined): number =>
    node?.range ? lineCounter.linePos(node.range[0]).line : 1;
  const issue = (node: Node | null | undefined, path: string, message: string) =>
    issues.push({ file, line: lineOf(node), column: 1, path, message });

  for (const error of doc.errors) {
    const line = error.linePos?.[0]?.line ?? 1;
    issues.push({
      file,
      line,
      column: error.linePos?.[0]?.col ?? 1,
      path: "(yaml)",
      message: firstLine(error.message),
    });
  }
  if (issues.length > 0) throw new PolicyFileError(issues);
  const root = doc.contents;
  if (!isMap(root)) {
    issue(root, "(file)", "a policy file is a mapping with `rules:` (a list of rules)");
    throw new PolicyFileError(issues);
  }
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    if (!["version", "timezone", "rules"].includes(key))
      issue(pair.key as Node, key, `unknown field "${key}" (a policy file has version, timezone and rules)`);
  }
  const version = root.get("version", true) as Node | undefined;
  if (version !== undefined && !(isScalar(version) && version.value === 1))
    issue(version, "version", "version must be 1");
  const zoneNode = root.get("timezone", true);
  let timezone = "UTC";
  if (zoneNode !== undefined) {
    if (isScalar(zoneNode) && typeof zoneNode.value === "string" && validTimeZone(zoneNode.value))
      timezone = zoneNode.value;
    else issue(zoneNode, "timezone", "timezone must be an IANA time zone name such as Europe/Berlin");
  }
  const rulesNode = root.get("rules", true);
  const rules: PolicyRule[] = [];
  if (!isSeq(rulesNode)) {
    issue(rulesNode ?? root, "rules", "rules must be a list of rules");
    throw new PolicyFileError(issues);
  }
  const names = new Set<string>();
  rulesNode.items.forEach((item, index) => {
    const path = `rules[${index}]`;
    if (!isMap(item)) {
      issue(item as Node, path, "a rule is a mapping with name, description, severity, scope and expression");
      return;
    }
    const rule = compileRule(item, path, issue, lineOf);
    if (!rule) return;
    if (names.has(rule.name))
      issue(item.get("name", true) as Node, `${path}.name`, `rule "${rule.name}" is defined twice`);
    names.add(rule.name);
    rules.push(rule);
  });
  if (issues.length > 0) throw new PolicyFileError(issues);
  return { file, timezone, rules };
}

function compileRule(
  item: YAMLMap,
  path: string,
  issue: (node: Node | null | undefined, path: string, message: string) => void,
  lineOf: (node: Node | null | undefined) => number,
): PolicyRule | undefined {
  for (const pair of item.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    if (!RULE_FIELDS.includes(key))
      issue(
        pair.key as Node,
        `${path}.${key}`,
        `unknown field "${key}" (a rule has ${RULE_FIELDS.join(", ")})`,
      );
  }
  const text = (field: string, required: boolean): { value?: string; node?: Node } => {
    const node = item.get(field, true) as Node | undefined;
    if (node === undefined) {
      if (required) issue(item, `${path}.${field}`, `${field} is required`);
      return {};
    }
    if (!isScalar(node) || typeof node.value !== "string" || node.value.trim() === "") {
      issue(node, `${path}.${field}`, `${field} must be a non-empty string`);
      return { node };
    }
    return { value: node.value, node };
  };
  const name = text("name", true);
  const description = text("description", true);
  const severity = text("severity", false);
  const scope = text("scope", false);
  const expression = text("expression", true);
  let ok = name.value !== undefined && description.value !== undefined && expression.value !== undefined;
  if (name.value !== undefined && !NAME.test(name.value)) {
    issue(name.node, `${path}.name`, "name must be lower-case letters, digits and dashes (at most 63)");
    ok = false;
  }
  if (severity.value !== undefined && !SEVERITIES.includes(severity.value as PolicySeverity)) {
    issue(severity.node, `${path}.severity`, `severity must be one of ${SEVERITIES.join(", ")}`);
    ok = false;
  }
  if (scope.value !== undefined && !SCOPES.includes(scope.value as PolicyScope)) {
    issue(scope.node, `${path}.scope`, `scope must be one of ${SCOPES.join(", ")}`);
    ok = false;
  }
  if (!ok || expression.value === undefined) return undefined;
  const ruleScope = (scope.value ?? "operation") as PolicyScope;
  const environment = environmentFor(ruleScope);
  const where = `${path}.expression`;
  // One parse: checking the parsed program types its tree, so evaluations skip the type check.
  let program: ReturnType<Environment["parse"]>;
  try {
    program = environment.parse(expression.value);
  } catch (error) {
    issue(
      expression.node,
      where,
      `does not compile: ${firstLine(error instanceof Error ? error.message : String(error))}`,
    );
    return undefined;
  }
  const checked = program.check();
  if (!checked.valid) {
    const message = firstLine(checked.error?.message ?? "does not compile");
    const hint = /Unknown variable/.test(message)
      ? ` (a rule of scope ${ruleScope} sees ${SCOPE_VARIABLES[ruleScope].join(", ")})`
      : "";
    issue(expression.node, where, `does not compile: ${message}${hint}`);
    return undefined;
  }
  if (checked.type !== "bool" && checked.type !== "dyn") {
    issue(expression.node, where, `must be true or false, and this expression gives ${checked.type}`);
    return undefined;
  }
  return {
    name: name.value as string,
    description: (description.value as string).trim(),
    severity: (severity.value ?? "error") as PolicySeverity,
    scope: ruleScope,
    expression: expression.value,
    line: lineOf(item),
    program: program as unknown as RuleProgram,
  };
}
