/** The action's audit mode: check stored credentials and host-token expiry, then report. */

import * as core from "@actions/core";
import type { GitpodClient } from "../../shared/api/index.js";
import { describeApiError } from "../../shared/rotation/index.js";
import {
  auditMarkdown,
  auditText,
  auditTitle,
  runAudit,
  workflowRunLink,
} from "../../shared/scheduled/index.js";
import { formatAuditReport } from "../../shared/slack/audit-report.js";
import { formatError } from "../../shared/slack/errors.js";
import type { ActionInputs } from "../inputs.js";
import { logInfo } from "../log.js";
import { type Annotation, emitAnnotations } from "../report/annotations.js";
import { writeJobSummary } from "../report/job-summary.js";
import { loadManaged } from "./managed-config.js";
import { notifySlack } from "./notify.js";
import type { ScheduledInputs } from "./scheduled-inputs.js";

export async function runAuditMode(
  inputs: ActionInputs,
  scheduled: ScheduledInputs,
  client: GitpodClient,
  env: Record<string, string | undefined>,
): Promise<void> {
  core.setOutput("changed", "false");
  const managed = await loadManaged(inputs.config);
  if (!managed) return;

  let report: Awaited<ReturnType<typeof runAudit>>;
  try {
    report = await runAudit(
      client,
      { ...managed, expiryWarningDays: scheduled.expiryWarningDays },
      { concurrency: Math.min(inputs.concurrency, 8) },
    );
  } catch (error) {
    const words = describeApiError(error).text;
    await notifySlack(scheduled, [formatError("run the credential audit", error)], false, env);
    core.setFailed(`Could not run the credential audit: ${words}`);
    return;
  }

  const title = auditTitle(report);
  const link = workflowRunLink(env);
  logInfo(auditText(report));
  core.setOutput("healthy", String(report.healthy));
  core.setOutput("summary", title);
  core.setOutput("report", JSON.stringify(report));
  await writeJobSummary(auditMarkdown(report, link), env, "the report output");
  await notifySlack(scheduled, formatAuditReport(report, link ? { link } : {}), report.healthy, env);

  const findings: Annotation[] = [];
  for (const item of report.integrations) {
    if (item.status === "healthy") continue;
    const where = `${item.integration.host} (${item.integration.scmId}) on ${item.runnerName ?? item.integration.runnerId}`;
    findings.push({
      level: "warning",
      message: `${where}: ${item.findings.join("; ")}`,
      properties: { title: "credential audit" },
    });
  }
  for (const item of report.missing) {
    findings.push({
      level: "warning",
      message: `${item.host} (${item.scmId}) on ${item.runnerName ?? item.runnerId} is in the file but not in Gitpod`,
      properties: { title: "credential audit" },
    });
  }
  emitAnnotations(findings, "every finding is in the job summary and the report output");
  if (!report.healthy && scheduled.failOnUnhealthy) core.setFailed(title);
}
