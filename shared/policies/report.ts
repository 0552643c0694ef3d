/** The policy report laid out: plain text (plan output, CLI) and markdown (job summary, PR comment). */
import { markdownText } from "../markdown/escape.js";
import type { PolicyReport, RuleResult } from "./evaluate.js";

const SHOWN_VIOLATIONS = 10;

function statusWord(rule: RuleResult): string {
  if (rule.status === "passed") return "passed";
  const word = rule.status === "error" ? "could not be evaluated" : "failed";
  return rule.severity === "warn" ? `warning: ${word}` : word;
}

/** One line: "Policies (.gitpod/policies.yaml): 3 passed, 1 warning, 1 failure". */
function policyHeadline(report: PolicyReport): string {
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  return `Policies (${report.file}): ${report.passed} passed, ${plural(report.warnings, "warning")}, ${plural(report.failures, "failure")}`;
}

export function policyOverrideNote(report: PolicyReport): string | undefined {
  if (report.override === undefined || report.failures === 0) return undefined;
  return `Policy override: apply went ahead despite ${report.failures} failing rule(s), for the reason: ${report.override}`;
}

/** Plain-text lines for the plan output; foreign text (descriptions, labels) is printed as one line each. */
export function policyTextLines(report: PolicyReport): string[] {
  const oneLine = (text: string) => text.replace(/\s+/g, " ");
  const lines = [policyHeadline(report)];
  for (const rule of report.rules) {
    if (rule.status === "passed") continue;
    lines.push(
      `  ${rule.severity === "error" ? "✗" : "!"} ${rule.name} (${statusWord(rule)}): ${oneLine(rule.description)}`,
    );
    if (rule.error) lines.push(`      ${oneLine(rule.error)}`);
    for (const violation of rule.violations.slice(0, SHOWN_VIOLATIONS))
      lines.push(`      - ${oneLine(violation)}`);
    if (rule.violations.length > SHOWN_VIOLATIONS)
      lines.push(`      … and ${rule.violations.length - SHOWN_VIOLATIONS} more`);
  }
  const passed = report.rules.filter((rule) => rule.status === "passed").map((rule) => rule.name);
  if (passed.length > 0) lines.push(`  ✓ passed: ${passed.join(", ")}`);
  const override = policyOverrideNote(report);
  if (override) lines.push(oneLine(override));
  return lines;
}

/** The "Policies" section of the job summary and the PR comment. */
export function policyMarkdown(report: PolicyReport): string {
  const lines = ["### Policies", "", markdownText(policyHeadline(report)), ""];
  const failing = report.rules.filter((rule) => rule.status !== "passed");
  if (failing.length > 0) {
    lines.push("| Rule | Severity | Result | Description | Operations |", "| --- | --- | --- | --- | --- |");
    for (const rule of failing) {
      const named = rule.violations.slice(0, SHOWN_VIOLATIONS).map(markdownText);
      if (rule.violations.length > SHOWN_VIOLATIONS)
        named.push(`… and ${rule.violations.length - SHOWN_VIOLATIONS} more`);
      const result = rule.error ? `${statusWord(rule)}: ${markdownText(rule.error)}` : statusWord(rule);
      lines.push(
        `| ${markdownText(rule.name)} | ${rule.severity} | ${result} | ${markdownText(rule.description)} | ${named.join("<br>")} |`,
      );
    }
    lines.push("");
  }
  const passed = report.rules.filter((rule) => rule.status === "passed");
  if (passed.length > 0)
    lines.push(`Passed: ${passed.map((rule) => markdownText(rule.name)).join(", ")}`, "");
  const override = policyOverrideNote(report);
  if (override) lines.push(`> [!WARNING]\n> ${markdownText(override)}`, "");
  return lines.join("\n");
}
