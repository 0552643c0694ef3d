/** The action's rotate mode: push the OAuth secrets, host tokens and LLM API keys named in the file to Gitpod, then report. */

import * as core from "@actions/core";
import type { GitpodClient } from "../../shared/api/index.js";
import {
  RotateOnlyError,
  rotationItemText,
  rotationMarkdown,
  rotationText,
  rotationTitle,
  runScheduledRotation,
  type ScheduledRotationReport,
} from "../../shared/credential-upkeep/index.js";
import { llmSecretValues } from "../../shared/credential-upkeep/llm-keys.js";
import { formatScheduledRotationReport } from "../../shared/slack/scheduled-rotation-report.js";
import type { Cancellation } from "../cancellation.js";
import type { ActionInputs } from "../inputs.js";
import { loadManaged } from "./managed-config.js";
import type { ModeInputs } from "./mode-inputs.js";
import { publishReport, type ReportRenderers } from "./publish-report.js";

const ROTATION_REPORT: ReportRenderers<ScheduledRotationReport> = {
  title: rotationTitle,
  ok: (report) => report.ok,
  text: rotationText,
  markdown: rotationMarkdown,
  slack: formatScheduledRotationReport,
};

export async function runRotateMode(
  inputs: ActionInputs,
  modeInputs: ModeInputs,
  client: GitpodClient,
  env: Record<string, string | undefined>,
  cancellation?: Pick<Cancellation, "stopWrites" | "abandon">,
): Promise<void> {
  // `changed` is written once: false where the run stops early, else what the rotation did.
  const managed = await loadManaged(inputs.config);
  if (!managed) {
    core.setOutput("changed", "false");
    return;
  }
  for (const item of managed.integrations) {
    const value = item.oauth ? env[item.oauth.clientSecretEnv] : undefined;
    if (value) core.setSecret(value);
  }
  for (const item of managed.hostTokens) {
    for (const name of [item.tokenEnv, item.refreshTokenEnv]) {
      const value = name ? env[name] : undefined;
      if (value) core.setSecret(value);
    }
  }

  for (const value of llmSecretValues(managed.llmIntegrations, env)) core.setSecret(value);

  let report: ScheduledRotationReport;
  try {
    report = await runScheduledRotation(
      client,
      {
        integrations: managed.integrations,
        hostTokens: managed.hostTokens,
        llmIntegrations: managed.llmIntegrations,
        env,
        rotateOnly: modeInputs.rotateOnly,
        dryRun: modeInputs.dryRun,
      },
      {
        concurrency: Math.min(inputs.concurrency, 4),
        ...(cancellation && { stopStarting: cancellation.stopWrites, signal: cancellation.abandon }),
      },
    );
  } catch (error) {
    core.setOutput("changed", "false");
    if (error instanceof RotateOnlyError) {
      core.setFailed(`input ${error.message}; nothing was changed`);
      return;
    }
    throw error;
  }

  const title = rotationTitle(report);
  core.setOutput("changed", String(report.items.some((item) => item.changed !== false)));
  await publishReport(report, ROTATION_REPORT, modeInputs, env);

  if (!report.ok) {
    const notDone = report.items.filter((item) => item.status !== (report.dryRun ? "dry-run" : "rotated"));
    const list = notDone.map(
      (item) =>
        `${item.serviceAccount || item.llmEndpoint !== undefined ? rotationItemText(item) : item.host} on ${item.runnerName ?? item.runnerId}: ${item.status}`,
    );
    core.setFailed(`${title}. Not rotated: ${list.join("; ")}`);
  }
}
