/** The action's plan and apply modes: run the engine, then report to the GitHub runner. */

import { readFile } from "node:fs/promises";
import * as core from "@actions/core";
import type { GitpodClient } from "../../shared/api/index.js";
import { markdownText } from "../../shared/markdown/escape.js";
import type { PolicyReport } from "../../shared/policies/evaluate.js";
import { policyMarkdown, policyOverrideNote, policyTextLines } from "../../shared/policies/report.js";
import { formatApplyReport } from "../../shared/slack/apply-report.js";
import { shortfallNote } from "../../shared/sync/apply-summary.js";
import { driftState } from "../../shared/sync/drift.js";
import { runSync } from "../../shared/sync/engine.js";
import {
  formatApplyMarkdown,
  formatApplyText,
  formatIssuesMarkdown,
  formatIssuesText,
} from "../../shared/sync/format.js";
import { formatPlanMarkdown } from "../../shared/sync/plan-markdown.js";
import { summaryLine, unmanagedLine } from "../../shared/sync/plan-report.js";
import { formatPlanText } from "../../shared/sync/plan-text.js";
import { hasDrift, refusedOperations, unmanagedObjects } from "../../shared/sync/plan-types.js";
import {
  mismatchMessage,
  parseSavedPlan,
  type SavedPlan,
  SavedPlanError,
  savedPlan,
} from "../../shared/sync/saved-plan.js";
import { plural } from "../../shared/text/plural.js";
import type { Cancellation } from "../cancellation.js";
import { unreadableReason } from "../cli/files.js";
import { annotateIssues, readConfigSources } from "../config-file.js";
import type { ActionInputs } from "../inputs.js";
import { logInfo } from "../log.js";
import { readPolicySet } from "../policy-file.js";
import { fitMarkdownBytes, writeJobSummary } from "../report/job-summary.js";
import { COMMENT_BUDGET_CHARS } from "../report/limits.js";
import { formatPlanComment } from "../report/plan-comment.js";
import { publishPlan, publishSavedPlan } from "../report/plan-output.js";
import { mergedPullRequestContext, pullRequestContext, upsertStickyComment } from "../report/pr-comment.js";
import { workflowRunLink } from "../report/workflow-run-link.js";
import { trackDrift } from "./drift-tracking.js";
import type { SlackNotifyInputs } from "./mode-inputs.js";
import { notifySlack } from "./notify.js";

const PULL_REQUEST_EVENTS: ReadonlySet<string> = new Set(["pull_request", "pull_request_target"]);

export async function runSyncMode(
  inputs: ActionInputs & { mode: "plan" | "apply" },
  client: GitpodClient,
  env: Record<string, string | undefined>,
  /** Slack settings: apply posts its result there, and a drift run its news, when configured. */
  notify?: SlackNotifyInputs,
  cancellation?: Pick<Cancellation, "stopWrites" | "abandon">,
): Promise<void> {
  const sources = await readConfigSources(inputs.config);
  if (sources === undefined) {
    core.setOutput("changed", "false");
    return;
  }
  const policies = await readPolicySet(inputs.policy, env);
  if (!policies.ok) {
    core.setOutput("changed", "false");
    return;
  }
  const override = inputs.mode === "apply" ? inputs.policyOverride : undefined;
  // A reviewed plan is trusted for nothing: runSync plans again and applies only if it is the same.
  let expected: SavedPlan | undefined;
  if (inputs.mode === "plan" && inputs.planFile) core.warning("plan-file is read in apply mode only");
  if (inputs.mode === "apply" && inputs.planFile) {
    const read = await readReviewedPlan(inputs.planFile, inputs);
    if (typeof read === "string") {
      core.setOutput("changed", "false");
      await refuseReviewedPlan(read, inputs, env);
      return;
    }
    expected = read;
  }
  const result = await runSync(client, {
    sources,
    env,
    mode: inputs.mode,
    prune: inputs.prune,
    allowDestructive: inputs.allowDestructive,
    rotateSecrets: inputs.rotateSecrets,
    concurrency: inputs.concurrency,
    ...(policies.set
      ? { policies: { set: policies.set, ...(override === undefined ? {} : { override }) } }
      : {}),
    ...(expected ? { expected } : {}),
    ...(cancellation ? { stopWrites: cancellation.stopWrites, abandon: cancellation.abandon } : {}),
  });
  for (const secret of result.secretValues) core.setSecret(secret);
  core.setOutput("changed", String(result.changed));
  if (result.mismatch) {
    await refuseReviewedPlan(`${inputs.planFile}: ${mismatchMessage(result.mismatch)}`, inputs, env);
    return;
  }

  if (result.issues.length > 0) {
    annotateIssues(result.issues);
    logInfo(formatIssuesText(result.issues));
    core.setOutput(
      "summary",
      `${plural(result.issues.length, "error")} in ${inputs.config}; nothing was changed`,
    );
    const issuesMarkdown = formatIssuesMarkdown(result.issues);
    await writeJobSummary(issuesMarkdown, env);
    // On a pull request the sticky comment shows the errors instead of a stale plan.
    if (inputs.mode === "plan" && inputs.commentOnPr) {
      await commentOnPullRequest(inputs, env, () =>
        fitMarkdownBytes(
          issuesMarkdown,
          COMMENT_BUDGET_CHARS,
          (dropped) => `**${dropped} more errors: see the job summary and the log of the workflow run.**`,
        ),
      );
    }
    core.setFailed(`${plural(result.issues.length, "error")} in ${inputs.config}; nothing was changed`);
    return;
  }
  const plan = result.plan;
  if (!plan) return;
  await publishPlan(plan, inputs.config, env);
  if (inputs.mode === "plan") core.setOutput("unmanaged", String(unmanagedObjects(plan).length));
  logInfo(formatPlanText(plan));
  const report = result.policies;
  if (report) {
    logInfo(policyTextLines(report).join("\n"));
    reportPolicyOutputs(report);
  }
  // The policy section goes first: it decides, and it stays when a long plan is trimmed.
  const policySection = report ? `${policyMarkdown(report)}\n` : "";
  const planMarkdown = `${policySection}${formatPlanMarkdown(plan)}`;
  const policyFailures = report?.failures ?? 0;

  if (inputs.mode === "plan") {
    if (result.fingerprint !== undefined)
      await publishSavedPlan(savedPlan(plan, result.fingerprint, sources, new Date()), inputs.config, env);
    core.setOutput("summary", summaryLine(plan));
    await writeJobSummary(planMarkdown, env, "the plan-file output and the log");
    if (inputs.commentOnPr) {
      await commentOnPullRequest(inputs, env, (headSha) => {
        const context = {
          config: inputs.config,
          ...commentLinks(headSha ?? env.GITHUB_SHA, workflowRunLink(env)?.url),
        };
        if (!report) return formatPlanComment(plan, context);
        // At most half the comment: a plan with many long rules still shows its operations.
        const section = fitMarkdownBytes(
          policySection,
          COMMENT_BUDGET_CHARS / 2,
          (dropped) => `**${dropped} more lines of policy results: see the job summary.**`,
        );
        return `${formatPlanComment(plan, context, COMMENT_BUDGET_CHARS - section.length - 1)}\n${section}`;
      });
    }
    if (policyFailures > 0) {
      core.setFailed(`${policyFailures} policy rule(s) failed: apply would refuse this plan`);
      return;
    }
    // The drift run: a scheduled or manual check, not a pull request's plan (pending there by design).
    const driftRun = inputs.failOnDrift && !PULL_REQUEST_EVENTS.has(env.GITHUB_EVENT_NAME ?? "");
    if (notify?.slack && !driftRun)
      logInfo(
        "Slack is told of drift only by a drift run (fail-on-drift: true, outside pull requests); not posting this plan.",
      );
    if (driftRun) {
      await trackDrift(
        driftState(plan, inputs.drift),
        { config: inputs.config, githubToken: inputs.githubToken, notify },
        env,
      );
    }
    if (inputs.failOnDrift && hasDrift(plan, inputs.drift))
      core.setFailed(`drift: ${[summaryLine(plan), unmanagedLine(plan)].filter(Boolean).join(" ")}`);
    return;
  }

  if (result.policyBlocked) {
    const message = `${policyFailures} policy rule(s) failed; nothing was changed. Change the file, or in an emergency set policy-override to the reason.`;
    core.setOutput("summary", message);
    await writeJobSummary(`**${message}**\n\n${planMarkdown}`, env, "the plan-file output and the log");
    core.setFailed(message);
    return;
  }
  const overrideNote = report ? policyOverrideNote(report) : undefined;
  if (overrideNote) core.warning(overrideNote.replace(/[\r\n]+/g, " "));

  const refused = refusedOperations(plan);
  if (refused.length > 0) {
    const message = `${refused.length} destructive operation(s) refused; nothing was changed. Set allow-destructive: true to apply them.`;
    core.setOutput("summary", message);
    await writeJobSummary(`**${message}**\n\n${planMarkdown}`, env, "the plan-file output and the log");
    await commentApplyResult(inputs, env, `### Gitpod runner configuration apply\n\n**${message}**\n`);
    core.setFailed(message);
    return;
  }
  const apply = result.apply;
  if (!apply) return;
  logInfo(formatApplyText(apply));
  const done = apply.outcomes.filter((outcome) => outcome.status === "done").length;
  const unknownNote = shortfallNote(apply);
  const summary =
    apply.outcomes.length === 0
      ? summaryLine(plan)
      : apply.ok
        ? `Applied ${done} change(s).`
        : `Apply failed: ${done} of ${apply.outcomes.length} change(s) done.${unknownNote}`;
  core.setOutput("summary", overrideNote ? `${summary} ${overrideNote}` : summary);
  const applyMarkdown = `${policySection}${formatApplyMarkdown(apply, plan)}`;
  await writeJobSummary(applyMarkdown, env);
  await commentApplyResult(inputs, env, applyMarkdown);
  const link = workflowRunLink(env);
  if (notify) await notifySlack(notify, formatApplyReport(apply, link ? { link } : {}), apply.ok, env);
  if (!apply.ok) {
    core.setFailed(
      `${apply.outcomes.length - done} change(s) were not made; see the list above.${unknownNote}`,
    );
  }
}

/** policy-failures and policy-warnings: rules that failed, by severity (0 and 0 when all passed). */
function reportPolicyOutputs(report: PolicyReport): void {
  core.setOutput("policy-failures", String(report.failures));
  core.setOutput("policy-warnings", String(report.warnings));
}

async function commentOnPullRequest(
  inputs: ActionInputs,
  env: Record<string, string | undefined>,
  /** The comment's markdown, given the pull request's head commit. */
  render: (headSha: string | undefined) => string,
): Promise<void> {
  if (!inputs.githubToken) {
    core.warning("comment-on-pr is set but github-token is empty; no comment was posted");
    return;
  }
  try {
    const context = await pullRequestContext(env);
    if (!context) {
      logInfo("Not a pull request event: no plan comment.");
      return;
    }
    const what = await upsertStickyComment(
      inputs.githubToken,
      context,
      "plan",
      inputs.config,
      render(context.headSha),
    );
    logInfo(`Plan comment ${what} on pull request #${context.pullNumber}.`);
  } catch (error) {
    core.warning(
      `Could not post the plan comment: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** The comment's commit and run links, each left out when the environment does not give it. */
function commentLinks(
  commitSha: string | undefined,
  runUrl: string | undefined,
): { commitSha?: string; runUrl?: string } {
  return { ...(commitSha === undefined ? {} : { commitSha }), ...(runUrl === undefined ? {} : { runUrl }) };
}

/** The options a plan is made with, as the action's inputs name them. */
const OPTION_INPUTS = [
  ["prune", "prune"],
  ["allowDestructive", "allow-destructive"],
  ["rotateSecrets", "rotate-secrets"],
] as const;

/**
 * The saved plan the `plan-file` input names, or why it is not applied, in words. Its content came
 * from a pull request's run: only its shape is checked here; what it asks for is proven by planning again.
 */
async function readReviewedPlan(file: string, inputs: ActionInputs): Promise<SavedPlan | string> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    return `plan-file ${file} ${unreadableReason(error)}; nothing was changed`;
  }
  let saved: SavedPlan;
  try {
    saved = parseSavedPlan(file, text);
  } catch (error) {
    if (error instanceof SavedPlanError) return error.message;
    throw error;
  }
  const differing = OPTION_INPUTS.filter(([key]) => saved.options[key] !== inputs[key]);
  if (differing.length > 0) {
    return `${file} was made with ${differing.map(([key, name]) => `${name}: ${saved.options[key]}`).join(", ")} and this step has ${differing.map(([key, name]) => `${name}: ${inputs[key]}`).join(", ")}; nothing was changed`;
  }
  return saved;
}

/** How to get a plan that applies, after the reviewed one was refused. */
const RECOVERY =
  "To apply this pull request's changes: run the plan workflow again with workflow_dispatch (Actions, the plan workflow, Run workflow, on the default branch), check its plan, then run the apply workflow again with workflow_dispatch: it applies that newer plan.";

/** A reviewed plan that is not applied: said in the log, the job summary and on the merged pull request. */
async function refuseReviewedPlan(
  reason: string,
  inputs: ActionInputs,
  env: Record<string, string | undefined>,
): Promise<void> {
  const message = `The reviewed plan was not applied: ${reason}`;
  core.setOutput("summary", message);
  const markdown = `### Gitpod runner configuration apply: the reviewed plan was not applied\n\n${markdownText(reason)}\n\n${RECOVERY}\n`;
  await writeJobSummary(markdown, env);
  await commentApplyResult(inputs, env, markdown);
  core.setFailed(`${message} ${RECOVERY}`);
}

/** The apply result as the merged pull request's sticky apply comment, when comment-on-pr is set. */
async function commentApplyResult(
  inputs: ActionInputs,
  env: Record<string, string | undefined>,
  markdown: string,
): Promise<void> {
  if (!inputs.commentOnPr) return;
  if (!inputs.githubToken) {
    core.warning("comment-on-pr is set but github-token is empty; no comment was posted");
    return;
  }
  try {
    const context = await mergedPullRequestContext(inputs.githubToken, env);
    if (!context) {
      logInfo("This commit is on no pull request: no apply comment.");
      return;
    }
    const link = workflowRunLink(env)?.url;
    const stamp = [
      ...(env.GITHUB_SHA ? [`Commit \`${env.GITHUB_SHA.slice(0, 12).replace(/[^0-9a-f]/gi, "")}\``] : []),
      ...(link ? [`[workflow run](${link})`] : []),
    ].join(" · ");
    const body = fitMarkdownBytes(
      `${markdown}${stamp ? `\n${stamp}\n` : ""}`,
      COMMENT_BUDGET_CHARS,
      (dropped) => `**${dropped} more lines: see the job summary of the workflow run.**`,
    );
    const what = await upsertStickyComment(inputs.githubToken, context, "apply", inputs.config, body);
    logInfo(`Apply comment ${what} on pull request #${context.pullNumber}.`);
  } catch (error) {
    core.warning(
      `Could not post the apply comment: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
