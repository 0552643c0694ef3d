/**
 * GitHub's limits for what one step may publish, and the budgets we keep under them. A value over a
 * limit is rejected or truncated by GitHub, so every renderer fits its output first.
 */
export const GITHUB_LIMITS = {
  /** An issue or pull-request comment body, in characters. */
  commentChars: 65_536,
  /** One step's job summary, in bytes (1 MiB). */
  summaryBytes: 1024 * 1024,
  /** All step outputs of one job together, in bytes (1 MB). */
  jobOutputsBytes: 1_000_000,
  /** Annotations of each level the runner shows for one step. */
  errorAnnotations: 10,
  warningAnnotations: 10,
} as const;

/** The `plan` output is set only while it is this small: the rest of the job needs room for its outputs too. */
export const PLAN_OUTPUT_MAX_BYTES = 900_000;

/** Room for the hidden marker and the trimming note. */
export const COMMENT_BUDGET_CHARS = GITHUB_LIMITS.commentChars - 1_000;

/** Room for the trimming note and other steps' summaries appended to the same file. */
export const SUMMARY_BUDGET_BYTES = GITHUB_LIMITS.summaryBytes - 16 * 1024;
