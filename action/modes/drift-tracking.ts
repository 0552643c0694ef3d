/**
 * The drift run's memory and news (mode plan with fail-on-drift, outside pull requests): compares
 * this run's drift with what the tracking issue last recorded, keeps the issue (with github-token)
 * and tells Slack (webhook or bot token) only when drift is new, changed or resolved. Without
 * github-token there is no memory between runs: Slack hears of drift on every run that finds some.
 * Failures are warnings: the plan and the drift verdict stand on their own.
 */
import * as core from "@actions/core";
import { formatDriftReport } from "../../shared/slack/drift-report.js";
import { type DriftState, driftTransition } from "../../shared/sync/drift.js";
import { logInfo } from "../log.js";
import { type DriftIssue, findDriftIssue, repositoryFrom, trackDriftIssue } from "../report/drift-issue.js";
import { workflowRunLink } from "../report/workflow-run-link.js";
import type { SlackNotifyInputs } from "./mode-inputs.js";
import { notifySlack } from "./notify.js";

export async function trackDrift(
  drift: DriftState,
  options: { config: string; githubToken: string | undefined; notify: SlackNotifyInputs | undefined },
  env: Record<string, string | undefined>,
): Promise<void> {
  const repo = repositoryFrom(env);
  const runLink = workflowRunLink(env);
  let existing: DriftIssue | undefined;
  let remembered = false;
  if (options.githubToken && repo) {
    try {
      existing = await findDriftIssue(options.githubToken, repo, options.config);
      remembered = true;
    } catch (error) {
      core.warning(
        `Could not read the drift issue: ${messageOf(error)}; Slack is told as if the drift were new`,
      );
    }
  }
  const transition = driftTransition(remembered ? existing?.fingerprint : undefined, drift.fingerprint);
  let issueUrl: string | undefined;
  if (options.githubToken && repo && remembered) {
    try {
      const done = await trackDriftIssue(
        options.githubToken,
        repo,
        options.config,
        existing,
        transition,
        drift,
        runLink?.url,
      );
      issueUrl = done.url;
      logInfo(done.said);
    } catch (error) {
      core.warning(`Could not update the drift issue: ${messageOf(error)}`);
    }
  }
  if (transition === "none" || transition === "same") {
    if (transition === "same") logInfo("The drift is the same as last run's: Slack is not told again.");
    return;
  }
  // Without a memory (no github-token, no readable issue) a run cannot tell "resolved" from "none".
  if (transition === "resolved" && !remembered) return;
  if (!options.notify?.slack) return;
  const messages = formatDriftReport(transition, options.config, drift.items, {
    ...(runLink ? { run: runLink } : {}),
    ...(issueUrl ? { issue: { url: issueUrl, text: "The drift issue" } } : {}),
  });
  await notifySlack(options.notify, messages, transition === "resolved", env);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
