/**
 * Global Bolt middleware: one log line per request Slack sends (command, button, form), with what
 * it ran as, how it ended and how long it took, and a `<event>_failed` line when a listener throws.
 * Listeners only say what they ran (`ranAs`); nothing else about logging or timing is theirs.
 * The command's text and the form's values are never logged (they may hold a secret).
 */
import type { AnyMiddlewareArgs, Context, Middleware } from "@slack/bolt";
import { describeApiError } from "../../shared/api/error-in-words.js";
import { escapeMrkdwn } from "../../shared/slack/mrkdwn.js";
import type { JsonLogger } from "../logger.js";
import { SlackRateLimitedError } from "../slack/rate-limits.js";

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
  if (record.type === "event_callback") {
    // An Events API event (the App Home): its user is inside the event.
    const inner = (record.event ?? {}) as { user?: unknown };
    return { event: "event", ...(typeof inner.user === "string" ? { user: inner.user } : {}) };
  }
  const event =
    record.type === "view_submission" ? "submission" : record.type === "block_actions" ? "action" : "event";
  return { event, ...(user?.id ? { user: user.id } : {}), ...(channel?.id ? { channel: channel.id } : {}) };
}

/** A command or button whose work needed a Slack method Slack is rate limiting: told in words. */
async function tellRateLimited(args: AnyMiddlewareArgs, error: SlackRateLimitedError): Promise<void> {
  const respond = (args as { respond?: (message: Record<string, unknown>) => Promise<unknown> }).respond;
  // The response_url is not rate limited with the Web API; a form submission has none (its modal says so).
  await respond?.({
    text: `:hourglass: ${escapeMrkdwn(error.message)}, so this could not finish. Please try again after that.`,
    response_type: "ephemeral",
    replace_original: false,
  }).catch(() => {});
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
  return async (args) => {
    const { body, context, next } = args;
    const started = performance.now();
    const { event, user, channel } = describe(body);
    const entry = outcomeOf(context);
    try {
      await next();
    } catch (error) {
      if (error instanceof SlackRateLimitedError) {
        entry.outcome = "slack-rate-limited";
        await tellRateLimited(args, error);
        return;
      }
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
