/**
 * `revoke`: which host tokens a selector matches, and the messages around deleting them and
 * approving that. Pure: the handlers read the tokens and delete them. Nothing here sees a token
 * value (the API never returns one).
 */
import type { types } from "@slack/bolt";
import { isServiceAccountToken, sameHost } from "../../shared/api/matching.js";
import type { HostAuthenticationToken } from "../../shared/api/resources/host-authentication-tokens.wire.js";
import { context, type MessageBlock, type SlackMessage } from "../../shared/slack/blocks.js";
import { code, escapeMrkdwn, fallbackText, userMention } from "../../shared/slack/mrkdwn.js";
import { sections } from "../../shared/slack/split.js";
import { runnerLabel } from "../../shared/text/runner-label.js";
import { approvalButtons, utc } from "../approvals/messages.js";
import type { Approval, RevokeApprovalPlan } from "../state/store.js";

/** Whose host tokens `revoke` deletes: every token of the host, all users' tokens, or one owner's. */
export type RevokeSelector =
  | { kind: "everyone" }
  | { kind: "all-users" }
  | { kind: "user"; id: string }
  | { kind: "service-account"; id: string };

export const REVOKE_CONFIRM_ACTION = "revoke_confirm";
export const REVOKE_CANCEL_ACTION = "revoke_cancel";
/** The most tokens one confirmation deletes (a larger revoke is narrowed, or done through the API). */
export const MAX_TOKENS_PER_REVOKE = 40;
/** How long a preview's confirm button works. */
export const REVOKE_PREVIEW_TTL_MS = 15 * 60 * 1000;

export interface RevokePlan {
  host: string;
  selector: RevokeSelector;
  tokens: HostAuthenticationToken[];
}

function ownerOf(token: HostAuthenticationToken): {
  kind: "user" | "service-account" | "other";
  id: string;
} {
  const principal = token.subject?.principal;
  const id = token.subject?.id || token.userId || "";
  if (isServiceAccountToken(token)) return { kind: "service-account", id };
  if (principal === "PRINCIPAL_USER" || (!principal && token.userId)) return { kind: "user", id };
  return { kind: "other", id };
}

export function selectTokens(
  tokens: readonly HostAuthenticationToken[],
  host: string,
  selector: RevokeSelector,
): HostAuthenticationToken[] {
  return tokens.filter((token) => sameHost(token.host, host) && matches(ownerOf(token), selector));
}

function matches(owner: ReturnType<typeof ownerOf>, selector: RevokeSelector): boolean {
  switch (selector.kind) {
    case "everyone":
      return true;
    case "all-users":
      return owner.kind === "user";
    case "user":
      return owner.kind === "user" && owner.id.toLowerCase() === selector.id;
    case "service-account":
      return owner.kind === "service-account" && owner.id.toLowerCase() === selector.id;
  }
}

export function selectorText(selector: RevokeSelector): string {
  switch (selector.kind) {
    case "everyone":
      return "every owner";
    case "all-users":
      return "all users";
    case "user":
      return `user ${selector.id}`;
    case "service-account":
      return `service account ${selector.id}`;
  }
}

function ownerText(token: HostAuthenticationToken): string {
  const owner = ownerOf(token);
  const who = owner.kind === "service-account" ? "service account" : owner.kind === "user" ? "user" : "owner";
  return `${who} ${owner.id || "(unknown)"}`;
}

/** Per runner: how many tokens, and whose. */
function perRunnerLines(
  tokens: readonly HostAuthenticationToken[],
  labels: Readonly<Record<string, string>>,
): string[] {
  const byRunner = new Map<string, HostAuthenticationToken[]>();
  for (const token of tokens) {
    const runner = token.runnerId ?? "";
    byRunner.set(runner, [...(byRunner.get(runner) ?? []), token]);
  }
  const lines: string[] = [];
  for (const [runnerId, list] of byRunner) {
    lines.push(`*Runner ${escapeMrkdwn(runnerLabel(runnerId, labels[runnerId]))}*: ${list.length}`);
    for (const token of list) {
      const expiry = token.expiresAt ? `, expires ${escapeMrkdwn(token.expiresAt)}` : "";
      lines.push(`• ${escapeMrkdwn(ownerText(token))}${expiry} · ${code(token.id)}`);
    }
  }
  return lines;
}

/**
 * The preview. Its confirm button carries only `previewId`: who may press it and which ids it
 * deletes are kept in the store (a button value can be altered by whoever sends it).
 */
export function previewMessage(
  plan: RevokePlan,
  previewId: string,
  labels: Readonly<Record<string, string>>,
): { text: string; blocks: Array<MessageBlock | types.KnownBlock> } {
  const whose = selectorText(plan.selector);
  const count = plan.tokens.length;
  if (count === 0) {
    return {
      text: fallbackText(`No host authentication tokens for ${plan.host} (${whose}): nothing to revoke.`),
      blocks: sections(
        `:mag: No host authentication tokens for ${code(plan.host)} (${escapeMrkdwn(whose)}): nothing to revoke.`,
      ),
    };
  }
  const header = `:rotating_light: *Revoke ${count} host authentication token${count === 1 ? "" : "s"}* for ${code(plan.host)} (${escapeMrkdwn(whose)}). They will be deleted in Gitpod; their owners must sign in again.`;
  const lines = [header, ...perRunnerLines(plan.tokens, labels)];
  if (count > MAX_TOKENS_PER_REVOKE) {
    lines.push(
      `:no_entry_sign: That is more than ${MAX_TOKENS_PER_REVOKE} tokens, more than one confirmation can carry. Narrow it to one user or service account, or delete them through the API.`,
    );
    return {
      text: fallbackText(
        `${count} tokens for ${plan.host} (${whose}): too many to revoke with one confirmation.`,
      ),
      blocks: sections(lines.join("\n")),
    };
  }
  return {
    text: fallbackText(
      `Revoke ${count} host authentication tokens for ${plan.host} (${whose})? Confirm or cancel.`,
    ),
    blocks: [
      ...sections(lines.join("\n")),
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: REVOKE_CONFIRM_ACTION,
            style: "danger",
            text: { type: "plain_text", text: `Revoke ${count}` },
            value: previewId,
          },
          {
            type: "button",
            action_id: REVOKE_CANCEL_ACTION,
            text: { type: "plain_text", text: "Cancel" },
            value: "cancel",
          },
        ],
      },
    ],
  };
}

const PREVIEW_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The preview id a confirm button carries, or undefined when the value is not one. */
export function parseRevokeButton(value: string | undefined): string | undefined {
  return value !== undefined && PREVIEW_ID.test(value) ? value : undefined;
}

export interface RevokeResult {
  deleted: string[];
  alreadyGone: string[];
  failed: Array<{ id: string; reason: string }>;
}

export function resultMessage(host: string, selector: string, result: RevokeResult): SlackMessage {
  const parts = [
    `${result.deleted.length} deleted`,
    `${result.alreadyGone.length} already gone`,
    ...(result.failed.length > 0 ? [`${result.failed.length} NOT deleted`] : []),
  ];
  const icon = result.failed.length > 0 ? ":warning:" : ":wastebasket:";
  const lines = [`${icon} Revoke for ${code(host)} (${escapeMrkdwn(selector)}): ${parts.join(", ")}.`];
  for (const failure of result.failed)
    lines.push(
      `• ${code(failure.id)}: ${escapeMrkdwn(failure.reason)} (state unknown: check it and run revoke again)`,
    );
  return {
    text: fallbackText(`Revoke for ${host} (${selector}): ${parts.join(", ")}.`),
    blocks: sections(lines.join("\n")),
  };
}

/** Posted to the audit channel under four-eyes approval: exactly what would be deleted, as it is now. */
export function revokeApprovalRequestMessage(
  approval: Pick<Approval, "id" | "requester" | "required" | "expiresAt">,
  plan: RevokeApprovalPlan,
  tokens: readonly HostAuthenticationToken[],
  labels: Readonly<Record<string, string>>,
): { text: string; blocks: Array<MessageBlock | types.KnownBlock> } {
  const count = plan.ids.length;
  const needed = approval.required === 1 ? "one approval" : `${approval.required} approvals`;
  const what = `${count} host authentication token${count === 1 ? "" : "s"}`;
  const lines = [
    `:raised_hand: *Approval needed:* ${userMention(approval.requester)} wants to revoke ${what} for ${code(plan.host)} (${escapeMrkdwn(plan.selector)}). Once approved they are deleted at once; their owners must sign in again.\nNeeds ${needed} from someone else; expires at ${utc(approval.expiresAt)}.`,
    ...perRunnerLines(tokens, labels),
  ];
  const gone = count - tokens.length;
  if (gone > 0) lines.push(`${gone} of the confirmed tokens ${gone === 1 ? "is" : "are"} already gone.`);
  return {
    text: fallbackText(
      `Approval needed: ${approval.requester} wants to revoke ${what} for ${plan.host} (${plan.selector})`,
    ),
    blocks: [
      ...sections(lines.join("\n")),
      approvalButtons(approval.id),
      context(`request ${code(approval.id)}`),
    ],
  };
}
