/** The reports as GitHub-flavoured markdown for the job summary: a headline and tables. */

import { markdownText as cell, codeSpan } from "../markdown/escape.js";
import { markdownTable as table } from "../markdown/table.js";
import { plural } from "../text/plural.js";
import { runnerLabel } from "../text/runner-label.js";
import { HEALTH_STATUS_WORDS, ROTATION_STATUS_WORDS, type StatusWords } from "./status-words.js";
import { healthCheckTitle, rotationItemText, rotationTitle } from "./titles.js";
import type { HealthCheckReport, ScheduledRotationReport } from "./types.js";

function statusCell(words: StatusWords): string {
  return `${words.emoji} ${words.label}`;
}

export function rotationMarkdown(
  report: ScheduledRotationReport,
  link?: { url: string; text: string },
): string {
  const lines = [`## ${cell(rotationTitle(report))}`, ""];
  if (report.items.length === 0) {
    lines.push(
      "No SCM integration in the runner-config file has an OAuth client secret to rotate, and it lists no host token.",
    );
  } else {
    const rows = report.items.map((item) => {
      const failed = item.rotation?.steps.find((step) => step.status === "failed");
      const details =
        failed && !item.reason.includes(failed.detail)
          ? `${item.reason} (${failed.step}: ${failed.detail})`
          : item.reason;
      return [
        cell(runnerLabel(item.runnerId, item.runnerName)),
        cell(rotationItemText(item)),
        statusCell(ROTATION_STATUS_WORDS[item.status]),
        cell(details),
      ];
    });
    lines.push(...table(["Runner", "Integration", "Result", "Details"], rows));
  }
  if (report.dryRun) lines.push("", "Dry run: the new secrets were tested; nothing was changed.");
  if (link) lines.push("", `[${cell(link.text)}](${link.url})`);
  return `${lines.join("\n")}\n`;
}

export function healthCheckMarkdown(report: HealthCheckReport, link?: { url: string; text: string }): string {
  const lines = [`## ${cell(healthCheckTitle(report))}`, ""];
  lines.push(
    `Host tokens that expire within ${plural(report.expiryWarningDays, "day")} or have expired are flagged.`,
    "",
  );
  if (report.integrations.length === 0) {
    lines.push("The managed runners have no SCM integrations.");
  } else {
    const rows = report.integrations.map((item) => {
      const credentials =
        "error" in item.validation
          ? "not checked"
          : item.validation.valid
            ? "valid"
            : cell(item.validation.summary);
      const tokens = "error" in item.tokens ? "not listed" : String(item.tokens.count);
      return [
        cell(runnerLabel(item.integration.runnerId, item.runnerName)),
        `${cell(item.integration.host ?? "(no host)")} (${cell(item.integration.scmId ?? "scm")})`,
        item.managed ? "yes" : "**no** (not in the file)",
        statusCell(HEALTH_STATUS_WORDS[item.status]),
        credentials,
        tokens,
        cell(item.findings.join("; ")) || "–",
      ];
    });
    lines.push(
      ...table(
        ["Runner", "Integration", "In file", "Status", "Stored credentials", "Host tokens", "Findings"],
        rows,
      ),
    );
  }
  const expiring = report.integrations.flatMap((item) =>
    "error" in item.tokens ? [] : item.tokens.expiring.map((token) => ({ item, token })),
  );
  if (expiring.length > 0) {
    lines.push("", "### Expired and expiring host tokens", "");
    lines.push(
      ...table(
        ["Integration", "Token", "Owner", "Source", "Expires", "Renewal"],
        expiring.map(({ item, token }) => [
          `${cell(item.integration.host ?? "(no host)")} on ${cell(item.runnerName ?? item.integration.runnerId)}`,
          codeSpan(token.id),
          token.owner ? codeSpan(token.owner) : "–",
          cell(token.source ?? "–"),
          `${cell(token.expiresAt)}${token.expired ? " (**expired**)" : ""}`,
          cell(token.remedy),
        ]),
      ),
    );
  }
  if (report.missing.length > 0) {
    lines.push("", "### In the runner-config file but not in Gitpod", "");
    for (const item of report.missing) {
      lines.push(
        `- ${cell(item.host)} (${cell(item.scmId)}) on ${cell(runnerLabel(item.runnerId, item.runnerName))}`,
      );
    }
  }
  const llm = report.llm;
  if (llm && (llm.integrations.length > 0 || llm.errors.length > 0)) {
    lines.push("", "### LLM integrations", "");
    if (llm.integrations.length > 0) {
      lines.push(
        ...table(
          ["Runner", "Endpoint", "In file", "Phase", "Models"],
          llm.integrations.map((item) => [
            cell(runnerLabel(item.runnerId, item.runnerName)),
            cell(item.host || "(no endpoint)"),
            item.managed ? "yes" : "**no** (not in the file)",
            item.phase === "UNAVAILABLE"
              ? `**UNAVAILABLE**: ${cell(item.phaseReason || "the service gave no reason")}`
              : cell(item.phase),
            String(item.models),
          ]),
        ),
      );
    }
    for (const error of llm.errors) lines.push("", `- ${cell(error)}`);
  }
  if (report.counts.unmanaged > 0) {
    lines.push(
      "",
      `${plural(report.counts.unmanaged, "integration")} ${report.counts.unmanaged === 1 ? "exists" : "exist"} in Gitpod but not in the runner-config file (checked, but being unmanaged does not make the audit unhealthy).`,
    );
  }
  if (link) lines.push("", `[${cell(link.text)}](${link.url})`);
  return `${lines.join("\n")}\n`;
}
