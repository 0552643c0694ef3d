/**
 * How the scheduled modes (rotate, audit) hand their report to the user: the job log, the `summary`
 * and `report` outputs, the job summary and Slack, each with the link to the workflow run.
 */

import * as core from "@actions/core";
import type { SlackMessage } from "../../shared/slack/blocks.js";
import type { Link } from "../../shared/slack/mrkdwn.js";
import type { ReportOptions } from "../../shared/slack/split.js";
import { logInfo } from "../log.js";
import { writeJobSummary } from "../report/job-summary.js";
import { workflowRunLink } from "../report/workflow-run-link.js";
import { notifySlack } from "./notify.js";
import type { ScheduledInputs } from "./scheduled-inputs.js";

/** One report, with its renderers. */
export interface PublishedReport {
  title: string;
  /** The report as data: the `report` output. */
  data: unknown;
  /** Whether it is a success (Slack's notify-on). */
  ok: boolean;
  text: string;
  markdown: (link: Link | undefined) => string;
  slack: (options: ReportOptions) => SlackMessage[];
}

export async function publishReport(
  report: PublishedReport,
  scheduled: ScheduledInputs,
  env: Record<string, string | undefined>,
): Promise<void> {
  const link = workflowRunLink(env);
  logInfo(report.text);
  core.setOutput("summary", report.title);
  core.setOutput("report", JSON.stringify(report.data));
  await writeJobSummary(report.markdown(link), env, "the report output");
  await notifySlack(scheduled, report.slack(link ? { link } : {}), report.ok, env);
}
