/**
 * Structured logging: one JSON object per line. Known secrets (the bot's own tokens) are scrubbed
 * from every line as a last line of defence; the code never logs a client secret in the first place.
 */
import { format } from "node:util";
import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import { scrub } from "../shared/text/scrub.js";

type Level = "debug" | "info" | "warn" | "error";

const SEVERITY: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface JsonLogger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

export interface JsonLoggerOptions {
  /** Where lines go; default stdout. */
  write?: (line: string) => void;
  level?: Level;
  /** Values that must never appear in a line. */
  secrets?: readonly (string | undefined)[];
  now?: () => Date;
}

export function createJsonLogger(options: JsonLoggerOptions = {}): JsonLogger {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const threshold = SEVERITY[options.level ?? "info"];
  const secrets = options.secrets ?? [];
  const now = options.now ?? (() => new Date());
  const log = (level: Level, event: string, fields: Record<string, unknown> = {}) => {
    if (SEVERITY[level] < threshold) return;
    const line = JSON.stringify({ time: now().toISOString(), level, event, ...fields }, errorReplacer);
    write(scrub(line, secrets));
  };
  return {
    debug: (event, fields) => log("debug", event, fields),
    info: (event, fields) => log("info", event, fields),
    warn: (event, fields) => log("warn", event, fields),
    error: (event, fields) => log("error", event, fields),
  };
}

/** Errors serialise to their name and message only (no stacks with request bodies in them). */
function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

/**
 * Bolt's and the Web API client's own log lines, routed through the JSON logger. Their debug lines
 * are dropped whatever the level: they may echo request payloads, and a modal's payload holds a secret.
 */
export function boltLogger(logger: JsonLogger, initial: LogLevel = LogLevel.INFO): BoltLogger {
  let level = initial;
  let name = "bolt";
  const severityOf = (value: LogLevel) => SEVERITY[value as Level] ?? SEVERITY.info;
  const emit =
    (target: Level) =>
    (...message: unknown[]) => {
      if (target === "debug" || SEVERITY[target] < severityOf(level)) return;
      logger[target]("slack", { source: name, message: format(...message) });
    };
  return {
    debug: emit("debug"),
    info: emit("info"),
    warn: emit("warn"),
    error: emit("error"),
    setLevel: (value) => {
      level = value;
    },
    getLevel: () => level,
    setName: (value) => {
      name = value;
    },
  };
}
