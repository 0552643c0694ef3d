/** One-line headlines for reports, shared by the job summary and Slack. */
import type { AuditReport, ScheduledRotationReport, ScheduledRotationStatus } from "./types.js";

const ROTATION_WORDS: Record<ScheduledRotationStatus, string> = {
  rotated: "rotated",
  "dry-run": "passed",
  refused: "refused",
  failed: "failed",
  unverified: "UNVERIFIED",
  unknown: "uncertain",
};

export function rotationTitle(report: ScheduledRotationReport): string {
  const lead = report.dryRun ? "Scheduled rotation (dry run)" : "Scheduled rotation";
  if (report.items.length === 0) return `${lead}: nothing to rotate`;
  const parts = (Object.keys(ROTATION_WORDS) as ScheduledRotationStatus[])
    .filter((status) => report.counts[status] > 0)
    .map((status) => `${report.counts[status]} ${ROTATION_WORDS[status]}`);
  return `${lead}: ${parts.join(", ")}`;
}

export function auditTitle(report: AuditReport): string {
  const { counts } = report;
  const total = report.integrations.length;
  const parts: string[] = [];
  if (counts.invalid) parts.push(`${counts.invalid} invalid`);
  if (counts.expiring) parts.push(`${counts.expiring} with expiring tokens`);
  if (counts.error) parts.push(`${counts.error} not checked`);
  if (counts.missing) parts.push(`${counts.missing} missing`);
  const verdict = report.healthy ? "healthy" : "needs attention";
  const detail = parts.length > 0 ? ` (${parts.join(", ")})` : "";
  return `Credential audit: ${verdict}, ${plural(total, "integration")} checked${detail}`;
}

/** What a rotation item is: "github.com (github)" or "github.com token of service account …". */
export function rotationItemText(item: { host: string; scmId: string; serviceAccount?: string }): string {
  return item.serviceAccount
    ? `${item.host} token of service account ${item.serviceAccount}`
    : `${item.host} (${item.scmId})`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
