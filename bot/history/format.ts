/**
 * The `history` answer: one page of rotations, validations and approval steps, newest first, with
 * an "Older" button when there are more. Pure; every text from the store is escaped.
 */
import type { types } from "@slack/bolt";
import { context, type MessageBlock, section } from "../../shared/slack/blocks.js";
import { code, escapeMrkdwn, fallbackText, userMention } from "../../shared/slack/mrkdwn.js";
import type { Approval, HistoryEvent } from "../state/store.js";

export const HISTORY_PAGE_SIZE = 15;
export const HISTORY_OLDER_ACTION = "history_older";
/** A reason longer than this is cut: a page must stay within Slack's block limits. */
const REASON_LIMIT = 300;

const ICONS: Record<string, string> = {
  rotated: ":white_check_mark:",
  valid: ":white_check_mark:",
  started: ":hourglass_flowing_sand:",
  rejected: ":no_entry:",
  failed: ":x:",
  invalid: ":x:",
  unverified: ":rotating_light:",
  interrupted: ":rotating_light:",
  unknown: ":warning:",
  unauthorized: ":lock:",
  refused: ":no_entry_sign:",
  requested: ":raised_hand:",
  approved: ":ballot_box_with_check:",
  denied: ":no_entry:",
  expired: ":alarm_clock:",
  /** Who an approval request or its outcome was sent to by direct message. */
  notified: ":envelope:",
};

export interface HistoryPage {
  /** What was asked for, in words ("github.com", an id), or undefined for everything. */
  filter?: string;
  events: HistoryEvent[];
  /** Approvals referred to by the events, by id. */
  approvals: Record<string, Approval>;
  /** Set when older events exist: the id to continue before. */
  olderThan?: number;
}

export interface OlderButtonValue {
  filter?: { kind: "id" | "host"; value: string };
  before: number;
}

function when(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function who(event: HistoryEvent): string {
  return event.source === "slack" && /^[UW][A-Z0-9]+$/.test(event.actor)
    ? userMention(event.actor)
    : escapeMrkdwn(event.actor);
}

function approvalLine(approval: Approval | undefined, id: string): string {
  if (!approval) return `under approval ${code(id.slice(0, 8))}`;
  const approvers = approval.votes
    .filter((vote) => vote.decision === "approve")
    .map((vote) => userMention(vote.approver));
  return approvers.length > 0
    ? `approved by ${approvers.join(", ")}`
    : `approval ${escapeMrkdwn(approval.status)}`;
}

/** One history entry in mrkdwn (also the App Home's last entries). */
export function eventLine(event: HistoryEvent, approvals: Record<string, Approval>): string {
  const icon = ICONS[event.outcome] ?? ":grey_question:";
  // A host token's events name the host and whose token it is (the target, e.g. "service account …").
  const subject = event.host
    ? `${escapeMrkdwn(event.host)}${event.scmId ? ` (${escapeMrkdwn(event.scmId)})` : event.target ? ` · ${escapeMrkdwn(event.target)}` : ""}`
    : escapeMrkdwn(event.integrationId ?? event.target ?? "no integration");
  const head = `${icon} ${when(event.at)} · *${escapeMrkdwn(event.action)}* by ${who(event)}: *${escapeMrkdwn(event.outcome)}* · ${subject}`;
  const details: string[] = [];
  if (event.approvalId) details.push(approvalLine(approvals[event.approvalId], event.approvalId));
  if (event.reason) {
    const reason =
      event.reason.length > REASON_LIMIT ? `${event.reason.slice(0, REASON_LIMIT)}…` : event.reason;
    details.push(escapeMrkdwn(reason));
  }
  return details.length > 0 ? `${head}\n${details.join(" · ")}` : head;
}

export interface HistoryMessage {
  text: string;
  blocks: (MessageBlock | types.KnownBlock)[];
}

export function formatHistory(page: HistoryPage, button?: OlderButtonValue): HistoryMessage {
  const scope = page.filter ? ` of ${escapeMrkdwn(page.filter)}` : "";
  if (page.events.length === 0) {
    const plain = `No history${page.filter ? ` of ${page.filter}` : ""} yet: rotations and validations through this bot are recorded from now on.`;
    return { text: fallbackText(plain), blocks: [section(escapeMrkdwn(plain))] };
  }
  const blocks: (MessageBlock | types.KnownBlock)[] = [section(`*History${scope}*, newest first`)];
  for (const event of page.events) blocks.push(section(eventLine(event, page.approvals)));
  if (page.olderThan !== undefined && button) {
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: HISTORY_OLDER_ACTION,
          text: { type: "plain_text", text: "Older" },
          value: JSON.stringify(button),
        },
      ],
    });
  } else {
    blocks.push(context("That is all the history the bot has."));
  }
  const first = page.events[0];
  const text = `History${page.filter ? ` of ${page.filter}` : ""}: ${page.events.length} event(s), latest ${first ? `${first.action} ${first.outcome} at ${when(first.at)}` : ""}`;
  return { text: fallbackText(text), blocks };
}

export function parseOlderButton(raw: string | undefined): OlderButtonValue | undefined {
  try {
    const value = JSON.parse(raw ?? "") as Partial<OlderButtonValue>;
    // An event id: a positive whole number (anything else would reach the database as a bad bigint).
    if (typeof value.before !== "number" || !Number.isSafeInteger(value.before) || value.before < 1)
      return undefined;
    const filter = value.filter;
    if (filter && !((filter.kind === "id" || filter.kind === "host") && typeof filter.value === "string"))
      return undefined;
    return filter ? { before: value.before, filter } : { before: value.before };
  } catch {
    return undefined;
  }
}
