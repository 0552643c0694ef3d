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
import type { SlackNotifyInputs } from "./mode-inputs.js";
import { notifySlack } from "./notify.js";

/** A report's title, whether it is a success (Slack's notify-on), and its renderers. */
export interface ReportRenderers<R> {
  title: (report: R) => string;
  ok: (report: R) => boolean;
  text: (report: R) => string;
  markdown: (report: R, link: Link | undefined) => string;
  slack: (report: R, options: ReportOptions) => SlackMessage[];
}

/** The report itself is the `report` output. */
export async function publishReport<R>(
  report: R,
  renderers: ReportRenderers<R>,
  inputs: SlackNotifyInputs,
  env: Record<string, string | undefined>,
): Promise<void> {
  const link = workflowRunLink(env);
  logInfo(renderers.text(report));
  core.setOutput("summary", renderers.title(report));
  core.setOutput("report", JSON.stringify(report));
  await writeJobSummary(renderers.markdown(report, link), env, "the report output");
  await notifySlack(inputs, renderers.slack(report, link ? { link } : {}), renderers.ok(report), env);
}
