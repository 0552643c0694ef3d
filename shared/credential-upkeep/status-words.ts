/**
 * The words and signs of the scheduled reports' statuses, in one table per report, so the job log,
 * the job summary, the titles and Slack say the same thing. `count` follows a number in a title
 * ("2 rotated"), `label` names the status in a table or log line, `headline` leads a Slack section;
 * `emoji` is for markdown, `slackEmoji` for Block Kit.
 */
import type { HealthStatus, ScheduledRotationStatus } from "./types.js";

export interface StatusWords {
  count: string;
  label: string;
  headline: string;
  emoji: string;
  slackEmoji: string;
}

export const ROTATION_STATUS_WORDS: Record<ScheduledRotationStatus, StatusWords> = {
  rotated: {
    count: "rotated",
    label: "rotated",
    headline: "Rotated",
    emoji: "✅",
    slackEmoji: ":white_check_mark:",
  },
  "dry-run": {
    count: "passed",
    label: "dry run passed",
    headline: "Dry run passed",
    emoji: "🧪",
    slackEmoji: ":test_tube:",
  },
  refused: {
    count: "refused",
    label: "refused",
    headline: "Refused, nothing was changed",
    emoji: "⛔",
    slackEmoji: ":no_entry:",
  },
  failed: {
    count: "failed",
    label: "failed",
    headline: "Failed, nothing was changed",
    emoji: "❌",
    slackEmoji: ":x:",
  },
  unverified: {
    count: "UPDATED BUT NOT VERIFIED",
    label: "UPDATED BUT NOT VERIFIED",
    headline: "*UPDATED BUT NOT VERIFIED*",
    emoji: "🚨",
    slackEmoji: ":rotating_light:",
  },
  unknown: {
    count: "uncertain",
    label: "update uncertain",
    headline: "*The update may or may not have happened*",
    emoji: "⚠️",
    slackEmoji: ":warning:",
  },
};

export const HEALTH_STATUS_WORDS: Record<HealthStatus, StatusWords> = {
  healthy: {
    count: "healthy",
    label: "healthy",
    headline: "Healthy",
    emoji: "✅",
    slackEmoji: ":white_check_mark:",
  },
  invalid: { count: "invalid", label: "invalid", headline: "Invalid", emoji: "❌", slackEmoji: ":x:" },
  expiring: {
    count: "with expiring tokens",
    label: "expiring",
    headline: "Expiring tokens",
    emoji: "⚠️",
    slackEmoji: ":hourglass_flowing_sand:",
  },
  error: {
    count: "not checked",
    label: "not checked",
    headline: "Not checked",
    emoji: "❓",
    slackEmoji: ":grey_question:",
  },
};
