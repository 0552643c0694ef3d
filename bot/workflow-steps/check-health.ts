/**
 * The "Check credential health" step: the health check the action's audit mode runs
 * (shared/credential-upkeep/health-check.ts), over the bot's runners or one of them, read-only. Its
 * validations go into the history as a `validate` would, so the App Home's "last validated" shows
 * them. The summary holds hosts, runners and findings in words: no secret, no token id or owner
 * (a workflow may post it anywhere).
 */
import { runHealthCheck } from "../../shared/credential-upkeep/health-check.js";
import { healthCheckTitle } from "../../shared/credential-upkeep/titles.js";
import type { HealthCheckReport } from "../../shared/credential-upkeep/types.js";
import { escapeMrkdwn } from "../../shared/slack/mrkdwn.js";
import { runnerLabel } from "../../shared/text/runner-label.js";
import type { BotContext } from "../context.js";
import { looksLikeSecret } from "../listeners/commands/words.js";
import { type CHECK_HEALTH_STEP, type StepResult, textInput, WORKFLOW_ACTOR } from "./definitions.js";

/** Integrations needing attention listed in the summary; the rest are counted. */
const SUMMARY_ITEMS = 20;

type Result = StepResult<typeof CHECK_HEALTH_STEP>;

/** The headline, then one line per integration that needs attention (foreign text escaped). Pure. */
export function healthSummary(report: HealthCheckReport): string {
  const attention = [
    ...report.integrations
      .filter((item) => item.status !== "healthy")
      .map((item) => {
        const { host, scmId, runnerId } = item.integration;
        const where = `${host ?? "(no host)"} (${scmId ?? "scm"}) on ${runnerLabel(runnerId, item.runnerName)}`;
        return `${item.status}: ${escapeMrkdwn(where)}: ${escapeMrkdwn(item.findings.join("; "))}`;
      }),
    ...report.missing.map(
      (item) =>
        `missing: ${escapeMrkdwn(`${item.host} (${item.scmId}) on ${runnerLabel(item.runnerId, item.runnerName)}`)}`,
    ),
  ];
  const shown = attention.slice(0, SUMMARY_ITEMS).map((line) => `• ${line}`);
  if (attention.length > shown.length) shown.push(`… and ${attention.length - shown.length} more`);
  return [`${healthCheckTitle(report)}.`, ...shown].join("\n");
}

export async function checkHealthStep(
  bot: BotContext,
  inputs: Readonly<Record<string, unknown>>,
): Promise<Result> {
  const wanted = textInput(inputs, "runner");
  const runners = bot.config.runners.filter(
    (runner) => wanted === undefined || runner.id === wanted.toLowerCase() || runner.label === wanted,
  );
  if (runners.length === 0) {
    const known = bot.config.runners.map((runner) => runner.label ?? runner.id).join(", ");
    // Repeated only when it looks like a name: a pasted secret is not echoed into the workflow.
    const which =
      /^[\w.-]{1,64}$/.test(wanted ?? "") && !looksLikeSecret(wanted ?? "")
        ? `is called "${wanted}"`
        : "has that name";
    return {
      ok: false,
      outcome: "unknown-runner",
      error: `No runner of this bot ${which}: give one of ${known}, or leave the runner empty for all.`,
    };
  }
  const report = await runHealthCheck(
    bot.gitpod,
    {
      runners: runners.map((runner) => ({ id: runner.id, ...(runner.label ? { name: runner.label } : {}) })),
      integrations: [],
    },
    { now: bot.now },
  );
  for (const item of report.integrations) {
    if ("error" in item.validation) continue;
    const { integration } = item;
    await bot.auditor.remember({
      action: "validate",
      at: report.checkedAt,
      actor: WORKFLOW_ACTOR,
      source: "workflow",
      outcome: item.validation.valid ? "valid" : "invalid",
      integrationId: integration.id,
      runnerId: integration.runnerId,
      ...(integration.host ? { host: integration.host } : {}),
      ...(integration.scmId ? { scmId: integration.scmId } : {}),
      reason: item.validation.summary,
    });
  }
  return {
    ok: true,
    outcome: report.healthy ? "healthy" : "needs-attention",
    outputs: { healthy: report.healthy, summary: healthSummary(report) },
  };
}
