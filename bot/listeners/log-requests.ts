/**
 * Global Bolt middleware: one log line per request Slack sends (command, button, form), with what
 * it ran as, how it ended and how long it took, and a `<event>_failed` line when a listener throws.
 * Listeners only say what they ran (`ranAs`); nothing else about logging or timing is theirs.
 * The command's text and the form's values are never logged (they may hold a secret).
 */
import type { AnyMiddlewareArgs, Context, Middleware } from "@slack/bolt";
import { describeApiError } from "../../shared/api/error-in-words.js";
import type { JsonLogger } from "../logger.js";

interface RequestOutcome {
  kind?: string;
  outcome?: string;
  /** Logged at debug only (e.g. "busy" refusals during a burst: a line each would cost what the limit saves). */
  quiet?: boolean;
  fields?: Record<string, unknown>;
}

const KEY = "gitpodScmRequest";

function outcomeOf(context: Context): RequestOutcome {
  const existing = context[KEY] as RequestOutcome | undefined;
  if (existing) return existing;
  const created: RequestOutcome = {};
  context[KEY] = created;
  return created;
}

/** What the request ran as (set it first, so a failure is logged under it) and, once known, its outcome. */
export function ranAs(
  context: Context,
  kind: string,
  outcome?: string,
  options: { quiet?: boolean; fields?: Record<string, unknown> } = {},
): void {
  const entry = outcomeOf(context);
  entry.kind = kind;
  if (outcome !== undefined) entry.outcome = outcome;
  if (options.quiet) entry.quiet = true;
  if (options.fields) entry.fields = { ...entry.fields, ...options.fields };
}

interface Described {
  event: "command" | "action" | "submission" | "event";
  user?: string;
  channel?: string;
}

function describe(body: unknown): Described {
  const record = (body ?? {}) as Record<string, unknown>;
  const user = record.user as { id?: string } | undefined;
  const channel = record.channel as { id?: string } | undefined;
  if (typeof record.command === "string") {
    return {
      event: "command",
      ...(typeof record.user_id === "string" ? { user: record.user_id } : {}),
      ...(typeof record.channel_id === "string" ? { channel: record.channel_id } : {}),
    };
  }
  const event =
    record.type === "view_submission" ? "submission" : record.type === "block_actions" ? "action" : "event";
  return { event, ...(user?.id ? { user: user.id } : {}), ...(channel?.id ? { channel: channel.id } : {}) };
}

/** How a request ended, for the metrics. */
export interface RequestSeen {
  event: Described["event"];
  kind: string;
  outcome: string;
}

export function logRequests(
  logger: JsonLogger,
  onRequest?: (request: RequestSeen) => void,
): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const started = performance.now();
    const { event, user, channel } = describe(body);
    const entry = outcomeOf(context);
    try {
      await next();
    } catch (error) {
      entry.outcome = `error: ${describeApiError(error).code}`;
      logger.error(`${event}_failed`, {
        kind: entry.kind ?? "unknown",
        user,
        error: describeApiError(error),
      });
    } finally {
      // Requests no listener took (e.g. a button of an old message) are not worth a line.
      if (entry.kind !== undefined || entry.outcome !== undefined) {
        const line = {
          kind: entry.kind ?? "unknown",
          user,
          ...(channel ? { channel } : {}),
          outcome: entry.outcome ?? "",
          durationMs: Math.round(performance.now() - started),
          ...entry.fields,
        };
        if (entry.quiet) logger.debug(event, line);
        else logger.info(event, line);
        onRequest?.({ event, kind: line.kind, outcome: line.outcome });
      }
    }
  };
}
