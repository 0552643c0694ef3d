/**
 * An audit record of a credential operation: who, on which integration, what happened, each
 * protocol step. The same record is logged as one JSON line and posted to the audit channel.
 */
import type { RotationStep } from "../rotation/types.js";
import { context, type SlackMessage } from "./blocks.js";
import { code, escapeMrkdwn, fallbackText, userMention } from "./mrkdwn.js";
import { sections } from "./split.js";

type AuditOutcome =
  | "rotated"
  | "dry-run"
  | "rejected"
  | "failed"
  | "unverified"
  | "unknown"
  | "unauthorized"
  | "refused"
  /** Written ahead of a rotation (the bot's journal), before anything is changed. */
  | "started"
  /** A rotation whose process stopped before it finished, resolved afterwards. */
  | "interrupted"
  /** Four-eyes approval steps. */
  | "requested"
  | "approved"
  | "denied"
  | "expired"
  /** Host authentication tokens deleted from Slack (`revoke`). */
  | "revoked";

export interface AuditRecord {
  /** What was attempted, e.g. "rotate". */
  action: string;
  at: string;
  /** Slack user id, or e.g. "github-actions" for scheduled rotation. */
  actor: string;
  /** Where it came from, e.g. "slack" or "schedule". */
  source: string;
  outcome: AuditOutcome;
  /** What the actor typed or chose (an integration id or a host); never a secret. */
  target?: string;
  integrationId?: string;
  runnerId?: string;
  host?: string;
  scmId?: string;
  /** A host authentication token the operation was about (an id), and whose it is in words. */
  tokenId?: string;
  tokenOwner?: string;
  /** In words, e.g. why it was refused. */
  reason?: string;
  steps?: Array<Pick<RotationStep, "step" | "status" | "detail">>;
  /** The bot's journal entry of the rotation (an id, for history). */
  journalId?: string;
  /** The four-eyes approval the rotation ran under. */
  approvalId?: string;
}

const OUTCOME_ICONS: Record<AuditOutcome, string> = {
  rotated: ":white_check_mark:",
  "dry-run": ":test_tube:",
  rejected: ":no_entry:",
  failed: ":x:",
  unverified: ":rotating_light:",
  unknown: ":warning:",
  unauthorized: ":lock:",
  refused: ":no_entry_sign:",
  started: ":hourglass_flowing_sand:",
  interrupted: ":rotating_light:",
  requested: ":raised_hand:",
  approved: ":ballot_box_with_check:",
  denied: ":no_entry:",
  expired: ":alarm_clock:",
  revoked: ":wastebasket:",
};

export function formatAuditRecord(record: AuditRecord): SlackMessage {
  const who = record.source === "slack" ? userMention(record.actor) : escapeMrkdwn(record.actor);
  const subject = record.tokenOwner
    ? `${record.host ?? "host"} token of ${record.tokenOwner}`
    : record.host
      ? // An LLM API key's record names its kind as the target ("api.anthropic.com (LLM API key)").
        `${record.host} (${record.scmId ?? record.target ?? "scm"})`
      : (record.integrationId ?? record.target ?? "no integration");
  const lines = [
    `${OUTCOME_ICONS[record.outcome]} *${escapeMrkdwn(record.action)}* by ${who}: *${escapeMrkdwn(record.outcome)}* · ${escapeMrkdwn(subject)}`,
  ];
  if (record.reason) lines.push(escapeMrkdwn(record.reason));
  for (const step of record.steps ?? []) {
    lines.push(
      `• ${step.step}: ${step.status}${step.status === "skipped" ? "" : ` (${escapeMrkdwn(step.detail)})`}`,
    );
  }
  const facts = [`at ${escapeMrkdwn(record.at)}`, `via ${escapeMrkdwn(record.source)}`];
  if (record.integrationId) facts.push(`ID ${code(record.integrationId)}`);
  if (record.tokenId) facts.push(`token ID ${code(record.tokenId)}`);
  if (record.runnerId) facts.push(`runner ${code(record.runnerId)}`);
  if (record.target && record.target !== record.integrationId) facts.push(`asked for ${code(record.target)}`);
  return {
    text: fallbackText(`Audit: ${record.action} by ${record.actor}: ${record.outcome} (${subject})`),
    blocks: [...sections(lines.join("\n")), context(facts.join(" · "))],
  };
}
