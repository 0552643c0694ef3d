/** One-line headlines for reports, shared by the job summary and Slack. */
import { plural } from "../text/plural.js";
import { HEALTH_STATUS_WORDS, ROTATION_STATUS_WORDS } from "./status-words.js";
import type { HealthCheckReport, ScheduledRotationReport, ScheduledRotationStatus } from "./types.js";

export function rotationTitle(report: ScheduledRotationReport): string {
  const lead = report.dryRun ? "Scheduled rotation (dry run)" : "Scheduled rotation";
  if (report.items.length === 0) return `${lead}: nothing to rotate`;
  const parts = (Object.keys(ROTATION_STATUS_WORDS) as ScheduledRotationStatus[])
    .filter((status) => report.counts[status] > 0)
    .map((status) => `${report.counts[status]} ${ROTATION_STATUS_WORDS[status].count}`);
  return `${lead}: ${parts.join(", ")}`;
}

export function healthCheckTitle(report: HealthCheckReport): string {
  const { counts } = report;
  const total = report.integrations.length;
  const parts: string[] = [];
  for (const status of ["invalid", "expiring", "error"] as const)
    if (counts[status]) parts.push(`${counts[status]} ${HEALTH_STATUS_WORDS[status].count}`);
  if (counts.missing) parts.push(`${counts.missing} missing`);
  const llm = report.llm;
  if (llm?.unavailable) parts.push(`${plural(llm.unavailable, "LLM integration")} unavailable`);
  if (llm?.errors.length) parts.push(`LLM integrations of ${plural(llm.errors.length, "runner")} not listed`);
  const verdict = report.healthy ? "healthy" : "needs attention";
  const detail = parts.length > 0 ? ` (${parts.join(", ")})` : "";
  const llmChecked = llm?.integrations.length
    ? ` and ${plural(llm.integrations.length, "LLM integration")}`
    : "";
  return `Credential audit: ${verdict}, ${plural(total, "integration")}${llmChecked} checked${detail}`;
}

/** What a rotation item is: "github.com (github)", "github.com token of service account …" or "LLM API key of api.anthropic.com". */
export function rotationItemText(item: {
  host: string;
  scmId: string;
  serviceAccount?: string;
  llmEndpoint?: string;
}): string {
  if (item.llmEndpoint !== undefined) return `LLM API key of ${item.host}`;
  return item.serviceAccount
    ? `${item.host} token of service account ${item.serviceAccount}`
    : `${item.host} (${item.scmId})`;
}
