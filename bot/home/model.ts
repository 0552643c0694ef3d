/**
 * The App Home's one model: what a person may see, read once per publish (bot/home/read.ts) and
 * laid out by a pure function (bot/home/view.ts). Only ids, words and times: never a secret.
 */
import type { LlmIntegration } from "../../shared/api/resources/llm-integrations.wire.js";
import type { ScmIntegration } from "../../shared/api/resources/scm-integrations.wire.js";
import type { ExpiringToken } from "../../shared/credential-upkeep/types.js";
import type { Approval, HistoryEvent } from "../state/store.js";

/** The newest history row that says whether the stored OAuth secret validated. */
export interface LastValidation {
  at: number;
  /** A Slack user id, or e.g. "github-actions". */
  actor: string;
  /** "slack", "schedule", … */
  source: string;
  /** `validate` gives valid/invalid; a rotation's verify step gives rotated (valid) or unverified. */
  result: "valid" | "invalid" | "unverified";
  action: string;
}

export interface HomeIntegration {
  integration: ScmIntegration;
  /** Undefined: the bot has no record of a validation. */
  lastValidation?: LastValidation;
  /** The integration's host tokens that expired or expire within the window, or why unread. */
  tokens: { count: number; expiring: ExpiringToken[] } | { error: string };
}

export type HomeHealth =
  /** Why the health part is not shown to this person. */
  | { shown: false; why: "guest" | "not-allowed" }
  | {
      shown: true;
      /** Every managed runner, in configured order, even those without integrations. */
      runners: Array<{ id: string; label?: string }>;
      integrations: HomeIntegration[];
      /** Set when Gitpod could not be read: the integrations are then unknown, not none. */
      readError?: string;
      /** The managed runners' LLM integrations (their phase, never a key), or why they could not be read. */
      llmIntegrations: readonly LlmIntegration[] | { error: string };
      expiryWarningDays: number;
      /** The newest history entries, newest first. */
      history: HistoryEvent[];
    };

export interface HomeModel {
  viewer: string;
  now: number;
  /** The slash command, for "run `/gitpod-scm list`". */
  command: string;
  /** Plain words to show on top (e.g. the answer to a button pressed in the Home). */
  notice?: string;
  /** Where `list` works when view channels are configured (empty: everywhere). */
  viewChannelIds: string[];
  health: HomeHealth;
  /** Four-eyes approval is on (SLACK_ROTATE_APPROVALS_REQUIRED > 0). */
  approvalsOn: boolean;
  /** The person is one of SLACK_ROTATE_APPROVERS (with approvals on). */
  approver: boolean;
  /** Pending requests this person may decide now (not theirs, not yet voted on), oldest first. */
  toDecide: Approval[];
  /** The person's own pending requests, oldest first. */
  ownRequests: Approval[];
}
