/**
 * The credential health check (`mode: audit`) as Block Kit: every integration that needs attention in its own section
 * (what is wrong, which tokens expire), the healthy ones listed compactly, then the integrations of
 * the file that Gitpod does not have, and a link to the workflow run.
 */

import { llmPhaseWords } from "../credential-upkeep/llm-health.js";
import { HEALTH_STATUS_WORDS } from "../credential-upkeep/status-words.js";
import { healthCheckTitle } from "../credential-upkeep/titles.js";
import type { CheckedIntegration, HealthCheckReport } from "../credential-upkeep/types.js";
import { plural } from "../text/plural.js";
import { runnerLabel } from "../text/runner-label.js";
import { context, type MessageBlock, type SlackMessage } from "./blocks.js";
import { bold, code, escapeMrkdwn, linkMrkdwn } from "./mrkdwn.js";
import { type ReportOptions, sections, splitIntoMessages } from "./split.js";
import { expiryInWords } from "./time.js";

/** Shown per integration; the rest are counted. */
const TOKENS_SHOWN = 5;

function subject(item: CheckedIntegration): string {
  return `${item.integration.host || "(no host)"} (${item.integration.scmId || "scm"})`;
}

function attentionBlocks(item: CheckedIntegration, now: Date): MessageBlock[] {
  const lines = [
    `${HEALTH_STATUS_WORDS[item.status].slackEmoji} ${bold(subject(item))}${item.managed ? "" : " · _not in the runner-config file_"}`,
  ];
  if ("error" in item.validation) lines.push(`Stored credentials: ${escapeMrkdwn(item.validation.error)}`);
  else if (item.validation.valid) lines.push("Stored credentials: valid");
  else lines.push(`Stored credentials: *not valid*: ${escapeMrkdwn(item.validation.summary)}`);
  if ("error" in item.tokens) {
    lines.push(`Host tokens: ${escapeMrkdwn(item.tokens.error)}`);
  } else {
    const { count, expiring } = item.tokens;
    lines.push(
      `Host tokens: ${count}${expiring.length > 0 ? ` · ${escapeMrkdwn(item.findings.filter((f) => f.includes("host token")).join(" · "))}` : ""}`,
    );
    for (const token of expiring.slice(0, TOKENS_SHOWN)) {
      const owner = token.owner ? ` of ${code(token.owner)}` : "";
      const source = token.source ? ` (${escapeMrkdwn(token.source)})` : "";
      lines.push(
        `• ${code(token.id)}${owner}${source}: ${escapeMrkdwn(expiryInWords(token.expiresAt, now))}; ${escapeMrkdwn(token.remedy)}`,
      );
    }
    if (expiring.length > TOKENS_SHOWN) lines.push(`• and ${expiring.length - TOKENS_SHOWN} more`);
  }
  return [
    ...sections(lines.join("\n")),
    context(
      `Runner ${escapeMrkdwn(runnerLabel(item.integration.runnerId, item.runnerName))} · ID ${code(item.integration.id)}`,
    ),
  ];
}

export function formatHealthCheckReport(
  report: HealthCheckReport,
  options: ReportOptions = {},
): SlackMessage[] {
  const now = new Date(report.checkedAt);
  const title = healthCheckTitle(report);
  const blocks: MessageBlock[] = [];
  const attention = report.integrations.filter((item) => item.status !== "healthy");
  const healthy = report.integrations.filter((item) => item.status === "healthy");
  for (const item of attention) blocks.push(...attentionBlocks(item, now));
  if (healthy.length > 0) {
    const lines = [
      `${HEALTH_STATUS_WORDS.healthy.slackEmoji} *${HEALTH_STATUS_WORDS.healthy.headline}* (${healthy.length})`,
    ];
    for (const item of healthy) {
      const unmanaged = item.managed ? "" : " · _not in the runner-config file_";
      lines.push(
        `• ${bold(subject(item))} on ${escapeMrkdwn(item.runnerName ?? item.integration.runnerId)}${unmanaged}`,
      );
    }
    blocks.push(...sections(lines.join("\n")));
  }
  if (report.missing.length > 0) {
    const lines = [":ghost: *In the runner-config file but not in Gitpod*"];
    for (const item of report.missing) {
      lines.push(
        `• ${bold(`${item.host} (${item.scmId})`)} on ${escapeMrkdwn(item.runnerName ?? item.runnerId)}`,
      );
    }
    blocks.push(...sections(lines.join("\n")));
  }
  const llm = report.llm;
  if (llm && (llm.integrations.length > 0 || llm.errors.length > 0)) {
    const lines = [":robot_face: *LLM integrations*"];
    for (const item of llm.integrations) {
      const flag = item.phase === "UNAVAILABLE" ? ":red_circle: " : "";
      const unmanaged = item.managed ? "" : " · _not in the runner-config file_";
      lines.push(
        `• ${flag}${bold(item.host || "(no endpoint)")} on ${escapeMrkdwn(item.runnerName ?? item.runnerId)}: ${escapeMrkdwn(llmPhaseWords(item))} · ${plural(item.models, "model")}${unmanaged}`,
      );
    }
    for (const error of llm.errors) lines.push(`• ${escapeMrkdwn(error)}`);
    blocks.push(...sections(lines.join("\n")));
  }
  if (report.integrations.length === 0 && report.missing.length === 0) {
    blocks.push(...sections("The managed runners have no SCM integrations."));
  }
  const facts = [`Tokens expiring within ${plural(report.expiryWarningDays, "day")} are flagged`];
  if (report.counts.unmanaged > 0)
    facts.push(`${plural(report.counts.unmanaged, "integration")} not in the file`);
  if (options.link) facts.push(linkMrkdwn(options.link));
  blocks.push(context(facts.join(" · ")));
  return splitIntoMessages(blocks, { text: title, title }, options);
}
