/** The action's `audit` mode, the credential health check: stored credentials, host-token expiry and LLM integrations' phases. */

import * as core from "@actions/core";
import { describeApiError, type GitpodClient } from "../../shared/api/index.js";
import {
  type HealthCheckReport,
  healthCheckMarkdown,
  healthCheckText,
  healthCheckTitle,
  runHealthCheck,
} from "../../shared/credential-upkeep/index.js";
import { llmPhaseText } from "../../shared/credential-upkeep/llm-health.js";
import { formatError } from "../../shared/slack/errors.js";
import { formatHealthCheckReport } from "../../shared/slack/health-check-report.js";
import type { ActionInputs } from "../inputs.js";
import { type Annotation, emitAnnotations } from "../report/annotations.js";
import { loadManaged } from "./managed-config.js";
import type { ModeInputs } from "./mode-inputs.js";
import { notifySlack } from "./notify.js";
import { publishReport, type ReportRenderers } from "./publish-report.js";

const HEALTH_CHECK_REPORT: ReportRenderers<HealthCheckReport> = {
  title: healthCheckTitle,
  ok: (report) => report.healthy,
  text: healthCheckText,
  markdown: healthCheckMarkdown,
  slack: formatHealthCheckReport,
};

export async function runHealthCheckMode(
  inputs: ActionInputs,
  modeInputs: ModeInputs,
  client: GitpodClient,
  env: Record<string, string | undefined>,
): Promise<void> {
  core.setOutput("changed", "false");
  const managed = await loadManaged(inputs.config);
  if (!managed) return;

  let report: HealthCheckReport;
  try {
    report = await runHealthCheck(
      client,
      { ...managed, expiryWarningDays: modeInputs.expiryWarningDays },
      { concurrency: Math.min(inputs.concurrency, 8) },
    );
  } catch (error) {
    const words = describeApiError(error).text;
    await notifySlack(modeInputs, [formatError("run the credential audit", error)], false, env);
    core.setFailed(`Could not run the credential audit: ${words}`);
    return;
  }

  const title = healthCheckTitle(report);
  core.setOutput("healthy", String(report.healthy));
  await publishReport(report, HEALTH_CHECK_REPORT, modeInputs, env);

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
  for (const item of report.llm?.integrations ?? []) {
    if (item.phase !== "UNAVAILABLE") continue;
    findings.push({
      level: "warning",
      message: `LLM integration ${llmPhaseText(item)} on ${item.runnerName ?? item.runnerId}`,
      properties: { title: "credential audit" },
    });
  }
  for (const error of report.llm?.errors ?? [])
    findings.push({ level: "warning", message: error, properties: { title: "credential audit" } });
  emitAnnotations(findings, "every finding is in the job summary and the report output");
  if (!report.healthy && modeInputs.failOnUnhealthy) core.setFailed(title);
}
