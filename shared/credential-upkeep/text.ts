/** The reports as plain text for the job log: one line per integration. */

import { runnerLabel } from "../text/runner-label.js";
import { llmPhaseText } from "./llm-health.js";
import { HEALTH_STATUS_WORDS, ROTATION_STATUS_WORDS } from "./status-words.js";
import { healthCheckTitle, rotationItemText, rotationTitle } from "./titles.js";
import type { HealthCheckReport, ScheduledRotationReport } from "./types.js";

export function rotationText(report: ScheduledRotationReport): string {
  const lines = [rotationTitle(report)];
  for (const item of report.items) {
    lines.push(
      `  ${ROTATION_STATUS_WORDS[item.status].label.padEnd(10)} ${rotationItemText(item)} on ${runnerLabel(item.runnerId, item.runnerName)}: ${item.reason}`,
    );
    const failed = item.rotation?.steps.find((step) => step.status === "failed");
    if (failed && !item.reason.includes(failed.detail))
      lines.push(`             ${failed.step}: ${failed.detail}`);
  }
  return lines.join("\n");
}

export function healthCheckText(report: HealthCheckReport): string {
  const lines = [healthCheckTitle(report)];
  for (const item of report.integrations) {
    const where = `${item.integration.host ?? "(no host)"} (${item.integration.scmId ?? "scm"}) on ${runnerLabel(item.integration.runnerId, item.runnerName)}`;
    const unmanaged = item.managed ? "" : " [not in the file]";
    const findings = item.findings.length > 0 ? `: ${item.findings.join("; ")}` : "";
    lines.push(`  ${HEALTH_STATUS_WORDS[item.status].label.padEnd(9)} ${where}${unmanaged}${findings}`);
    if (!("error" in item.tokens)) {
      for (const token of item.tokens.expiring) {
        lines.push(
          `             token ${token.id}${token.owner ? ` of ${token.principal ? `${token.principal} ` : ""}${token.owner}` : ""}: ${token.expired ? "expired" : "expires"} ${token.expiresAt}; ${token.remedy}`,
        );
      }
    }
  }
  for (const item of report.missing) {
    lines.push(
      `  missing   ${item.host} (${item.scmId}) on ${runnerLabel(item.runnerId, item.runnerName)}: in the file but not in Gitpod`,
    );
  }
  for (const item of report.llm?.integrations ?? []) {
    const label = item.phase === "UNAVAILABLE" ? "UNAVAILABLE" : "llm";
    const unmanaged = item.managed ? "" : " [not in the file]";
    lines.push(
      `  ${label.padEnd(9)} LLM ${llmPhaseText(item)}, ${item.models} model${item.models === 1 ? "" : "s"}, on ${runnerLabel(item.runnerId, item.runnerName)}${unmanaged}`,
    );
  }
  for (const error of report.llm?.errors ?? []) lines.push(`  error     ${error}`);
  return lines.join("\n");
}
