/** The outcome of a credential rotation, step by step; used by the bot and scheduled rotation. */

import { llmPhaseWords } from "../credential-upkeep/llm-health.js";
import type { RotationOutcome, RotationResult, RotationStep } from "../rotation/types.js";
import { runnerLabel } from "../text/runner-label.js";
import { context, type SlackMessage } from "./blocks.js";
import { bold, code, escapeMrkdwn, fallbackText, type Link, linkMrkdwn, userMention } from "./mrkdwn.js";
import { type ReportOptions, sections, splitIntoMessages } from "./split.js";

const HEADLINES: Record<RotationOutcome, string> = {
  rotated: ":white_check_mark: Rotated",
  "dry-run": ":test_tube: Dry run passed: the new credentials are valid, nothing was changed",
  rejected: ":no_entry: Refused: the new credentials are not valid, nothing was changed",
  failed: ":x: Failed, nothing was changed",
  unverified: ":rotating_light: *UPDATED BUT NOT VERIFIED*",
  unknown: ":warning: *The update may or may not have happened*",
};

const STEP_NAMES: Record<RotationStep["step"], string> = {
  read: "Read the integration",
  test: "Test the new credentials",
  update: "Store the new credentials",
  verify: "Read back and validate the stored secret",
};

/** A host token's protocol: it cannot be tested or validated, only stored and read back. */
const TOKEN_STEP_NAMES: Record<RotationStep["step"], string> = {
  read: "Read the token",
  test: "Test the new token",
  update: "Store the new token",
  verify: "Read back the stored token",
};

/** An LLM API key's protocol: it cannot be tested or read back; the integration's phase is. */
const LLM_KEY_STEP_NAMES: Record<RotationStep["step"], string> = {
  read: "Read the LLM integration",
  test: "Test the new API key",
  update: "Store the new API key",
  verify: "Read back the integration's phase",
};

const STEP_ICONS: Record<RotationStep["status"], string> = {
  ok: ":white_check_mark:",
  failed: ":x:",
  skipped: ":heavy_minus_sign:",
};

/** "github.com (github)", "github.com token of service account …", or an id when it could not be read. */
function rotationSubject(result: RotationResult): string {
  if (result.llmIntegrationId) {
    return result.host ? `LLM API key of ${result.host}` : `LLM integration ${result.llmIntegrationId}`;
  }
  if (result.tokenId) {
    return result.host
      ? `${result.host} token of ${result.tokenOwner ?? "an unknown owner"}`
      : `host token ${result.tokenId}`;
  }
  return result.host ? `${result.host} (${result.scmId ?? "scm"})` : result.integrationId;
}

/** The one-line headline, e.g. ":white_check_mark: Rotated *github.com (github)*". */
export function rotationHeadline(result: RotationResult): string {
  const headline =
    result.tokenId && result.outcome === "dry-run"
      ? ":test_tube: Dry run: the token exists (a host token cannot be tested), nothing was changed"
      : HEADLINES[result.outcome];
  return `${headline}: ${bold(rotationSubject(result))}`;
}

/** One line per protocol step with its outcome in words. */
function rotationStepLines(result: RotationResult): string[] {
  const names = result.llmIntegrationId ? LLM_KEY_STEP_NAMES : result.tokenId ? TOKEN_STEP_NAMES : STEP_NAMES;
  return result.steps.map(
    (step, index) =>
      `${STEP_ICONS[step.status]} ${index + 1}. ${names[step.step]}: ${escapeMrkdwn(step.detail)}`,
  );
}

/** "AVAILABLE", "UNAVAILABLE (reason)", or "unknown" when the integration was not read back. */
function llmPhaseAfter(result: RotationResult): string {
  if (result.phase === undefined || result.phase === "unknown")
    return result.changed === "unknown" ? "unknown (the update's answer was lost)" : "unknown";
  return llmPhaseWords({
    phase: result.phase,
    ...(result.phaseReason ? { phaseReason: result.phaseReason } : {}),
  });
}

export interface RotationResultOptions {
  /** Who asked for it (a Slack user id), shown as a mention. */
  actorUserId?: string;
  runnerLabels?: Readonly<Record<string, string>>;
  /** A link to more detail, e.g. the workflow run. */
  link?: Link;
}

export function formatRotationResult(
  result: RotationResult,
  options: RotationResultOptions = {},
): SlackMessage {
  const facts = [
    result.llmIntegrationId
      ? `LLM integration ID ${code(result.llmIntegrationId)}`
      : result.tokenId
        ? `token ID ${code(result.tokenId)}`
        : `ID ${code(result.integrationId)}`,
  ];
  if (result.runnerId)
    facts.unshift(
      `Runner ${escapeMrkdwn(runnerLabel(result.runnerId, options.runnerLabels?.[result.runnerId]))}`,
    );
  if (result.clientId) facts.push(`client ${code(result.clientId)}`);
  if (options.actorUserId) facts.push(`by ${userMention(options.actorUserId)}`);
  if (options.link) facts.push(linkMrkdwn(options.link));
  const body = [rotationHeadline(result), escapeMrkdwn(result.summary)];
  // An LLM key cannot be read back: the phase after the update is what can be known.
  if (result.llmIntegrationId) body.push(`Phase after the update: ${bold(llmPhaseAfter(result))}`);
  body.push("", ...rotationStepLines(result));
  return {
    text: fallbackText(
      `${HEADLINES[result.outcome].replace(/:[a-z_]+: /, "").replaceAll("*", "")}: ${rotationSubject(result)}`,
    ),
    blocks: [...sections(body.join("\n")), context(facts.join(" · "))],
  };
}

export interface RotationReportOptions extends ReportOptions {
  /** Header, e.g. "Scheduled rotation: 3 rotated, 1 refused". */
  title: string;
  runnerLabels?: Readonly<Record<string, string>>;
}

/**
 * Many rotation results in one message (or, past Slack's limits, several): one section per
 * integration with its headline, summary and the step that decided it.
 */
export function formatRotationReport(
  results: readonly RotationResult[],
  options: RotationReportOptions,
): SlackMessage[] {
  const blocks = results.flatMap((result) => {
    const deciding =
      result.steps.find((step) => step.status === "failed") ??
      result.steps.findLast((step) => step.status === "ok");
    const lines = [rotationHeadline(result), escapeMrkdwn(result.summary)];
    if (deciding && deciding.status === "failed")
      lines.push(`${STEP_NAMES[deciding.step]}: ${escapeMrkdwn(deciding.detail)}`);
    const where = result.runnerId
      ? `Runner ${escapeMrkdwn(runnerLabel(result.runnerId, options.runnerLabels?.[result.runnerId]))} · `
      : "";
    return [...sections(lines.join("\n")), context(`${where}ID ${code(result.integrationId)}`)];
  });
  if (options.link) {
    blocks.push(context(linkMrkdwn(options.link)));
  }
  return splitIntoMessages(blocks, { text: options.title, title: options.title }, options);
}
