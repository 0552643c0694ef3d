/**
 * The bot's configuration, read from the environment and validated at start. Every problem is
 * collected into one message naming each variable; secret values are never echoed.
 */
import { z } from "zod";
import {
  API_KEY_VARIABLES,
  apiKeyFromEnvironment,
  baseUrlFromEnvironment,
  eitherName,
} from "../shared/api/api-settings.js";
import { type DatabaseTarget, parseDatabaseUrl } from "./state/open.js";

export interface BotConfig {
  slack: {
    signingSecret?: string;
    botToken: string;
    /** Set: Socket Mode. Unset: HTTP mode. */
    appToken?: string;
    /** Override of https://slack.com/api/ (tests point it at a fake). */
    apiUrl?: string;
  };
  gitpod: {
    /** ONA_API_KEY, else the legacy GITPOD_API_KEY. */
    apiKey: string;
    /** The variable the token was read from, for the startup log and the words of a rejected token. */
    apiKeyVariable: string;
    /** ONA_BASE_URL, else the legacy GITPOD_BASE_URL; unset: the client's default. */
    baseUrl?: string;
    baseUrlVariable?: string;
    timeoutMs: number;
    /** While the token is not known to be accepted, how often a cheap read checks it (/readyz). */
    tokenCheckMs: number;
  };
  /** Settings that work but deserve a look (a token set under both names, differently), in words. */
  warnings: string[];
  /** The runners this bot manages, in order, each with an optional friendly label. */
  runners: Array<{ id: string; label?: string }>;
  authorization: {
    rotateUserIds: string[];
    rotateUsergroupId?: string;
    /** Empty: every channel may view. */
    viewChannelIds: string[];
  };
  auditChannelId: string;
  /** Commands whose follow-up work may run at once; more are answered "busy" in the ack. */
  maxInFlight: number;
  /** HTTP mode: the largest request body read (413 above it); bodies are read only with fresh signature headers. */
  maxBodyBytes: number;
  /** The slash command, e.g. "/gitpod-scm". */
  command: string;
  port: number;
  /** Interface to listen on in HTTP mode; default all interfaces. */
  host?: string;
  /**
   * SLACK_WORKFLOW_STEPS=true: the Workflow Builder steps (custom steps, `app.function`) are
   * registered. They need the org-ready app of bot/manifest.workflow-steps.yaml; off by default.
   */
  workflowSteps: boolean;
  /** Four-eyes approval of rotations; off when `required` is 0. */
  approvals: {
    /** SLACK_ROTATE_APPROVERS: user ids (U…) and/or user groups (S…). */
    approverIds: string[];
    required: number;
    ttlMs: number;
  };
  state: {
    /** DATABASE_URL: sqlite:<path> (default sqlite:./data/bot.sqlite) or postgres://… */
    database: DatabaseTarget;
    /** A rotation's lease lapses this long after its holder's last heartbeat (crashed holder). */
    leaseTtlMs: number;
    /** How long a rotation waits for another rotation of the same integration before refusing. */
    leaseWaitMs: number;
    /** SIGTERM: how long in-flight rotations may finish before they are journaled as interrupted. */
    shutdownGraceMs: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The bot's configuration is not usable:\n${problems.map((problem) => `- ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const USERGROUP_ID = /^S[A-Z0-9]{2,}$/;
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;
const COMMAND = /^\/[a-z0-9][a-z0-9_-]{0,31}$/;

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);
}

const present = (name: string) =>
  z
    .string({ error: `${name} is required` })
    .trim()
    .min(1, `${name} is required`);

const millis = (name: string, min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a number of milliseconds` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`)
    .default(fallback);

/** Each variable's rule. Messages name the variable and never include a secret's value. */
const EnvSchema = z.object({
  SLACK_BOT_TOKEN: present("SLACK_BOT_TOKEN").refine((value) => value.startsWith("xoxb-"), {
    message: "SLACK_BOT_TOKEN must be a bot token (starts with xoxb-)",
  }),
  SLACK_APP_TOKEN: z
    .string()
    .trim()
    .optional()
    .refine((value) => !value || value.startsWith("xapp-"), {
      message: "SLACK_APP_TOKEN must be an app-level token (starts with xapp-)",
    }),
  SLACK_SIGNING_SECRET: z.string().trim().optional(),
  SLACK_API_URL: z.url({ error: "SLACK_API_URL must be a URL" }).optional(),
  GITPOD_TIMEOUT_MS: z.coerce
    .number({ error: "GITPOD_TIMEOUT_MS must be a number of milliseconds" })
    .int("GITPOD_TIMEOUT_MS must be a whole number")
    .min(100, "GITPOD_TIMEOUT_MS must be at least 100")
    .max(120_000, "GITPOD_TIMEOUT_MS must be at most 120000")
    .default(10_000),
  GITPOD_TOKEN_CHECK_MS: z.coerce
    .number({ error: "GITPOD_TOKEN_CHECK_MS must be a number of milliseconds" })
    .int("GITPOD_TOKEN_CHECK_MS must be a whole number")
    .min(100, "GITPOD_TOKEN_CHECK_MS must be at least 100")
    .max(3_600_000, "GITPOD_TOKEN_CHECK_MS must be at most 3600000")
    .default(30_000),
  BOT_MAX_IN_FLIGHT: z.coerce
    .number({ error: "BOT_MAX_IN_FLIGHT must be a number" })
    .int("BOT_MAX_IN_FLIGHT must be a whole number")
    .min(1, "BOT_MAX_IN_FLIGHT must be at least 1")
    .max(10_000, "BOT_MAX_IN_FLIGHT must be at most 10000")
    .default(256),
  BOT_MAX_BODY_BYTES: z.coerce
    .number({ error: "BOT_MAX_BODY_BYTES must be a number of bytes" })
    .int("BOT_MAX_BODY_BYTES must be a whole number")
    .min(16_384, "BOT_MAX_BODY_BYTES must be at least 16384")
    .max(4_194_304, "BOT_MAX_BODY_BYTES must be at most 4194304")
    .default(262_144),
  GITPOD_RUNNER_IDS: present("GITPOD_RUNNER_IDS"),
  SLACK_ROTATE_USER_IDS: z.string().optional(),
  SLACK_ROTATE_USERGROUP_ID: z
    .string()
    .trim()
    .optional()
    .refine((value) => !value || USERGROUP_ID.test(value), {
      message: "SLACK_ROTATE_USERGROUP_ID must be a user group id like S0123ABCD",
    }),
  SLACK_VIEW_CHANNEL_IDS: z.string().optional(),
  SLACK_AUDIT_CHANNEL_ID: present("SLACK_AUDIT_CHANNEL_ID").refine((value) => CHANNEL_ID.test(value), {
    message: "SLACK_AUDIT_CHANNEL_ID must be a channel id like C0123ABCD",
  }),
  SLACK_COMMAND: z
    .string()
    .trim()
    .default("/gitpod-scm")
    .refine((value) => COMMAND.test(value), {
      message: "SLACK_COMMAND must look like /gitpod-scm (a slash, then lowercase letters, digits, - or _)",
    }),
  PORT: z.coerce
    .number({ error: "PORT must be a number" })
    .int("PORT must be a whole number")
    .min(0, "PORT must be between 0 and 65535")
    .max(65_535, "PORT must be between 0 and 65535")
    .default(3000),
  HOST: z.string().trim().optional(),
  SLACK_ROTATE_APPROVALS_REQUIRED: z.coerce
    .number({ error: "SLACK_ROTATE_APPROVALS_REQUIRED must be a number" })
    .int("SLACK_ROTATE_APPROVALS_REQUIRED must be a whole number")
    .min(0, "SLACK_ROTATE_APPROVALS_REQUIRED must be 0 (off) or more")
    .max(10, "SLACK_ROTATE_APPROVALS_REQUIRED must be at most 10")
    .default(0),
  SLACK_ROTATE_APPROVAL_TTL_MS: millis("SLACK_ROTATE_APPROVAL_TTL_MS", 1000, 86_400_000, 1_800_000),
  SLACK_WORKFLOW_STEPS: z
    .enum(["true", "false"], { error: "SLACK_WORKFLOW_STEPS must be true or false" })
    .default("false"),
  BOT_LEASE_TTL_MS: millis("BOT_LEASE_TTL_MS", 500, 600_000, 60_000),
  BOT_LEASE_WAIT_MS: millis("BOT_LEASE_WAIT_MS", 0, 600_000, 30_000),
  BOT_SHUTDOWN_GRACE_MS: millis("BOT_SHUTDOWN_GRACE_MS", 0, 600_000, 25_000),
});

/** Runner entries: "uuid" or "label=uuid", separated by commas or spaces. */
function parseRunners(value: string, problems: string[]): BotConfig["runners"] {
  const runners: BotConfig["runners"] = [];
  for (const entry of list(value)) {
    const [first, second] = entry.split("=", 2) as [string, string | undefined];
    const id = (second ?? first).trim();
    const label = second === undefined ? undefined : first.trim();
    if (!UUID.test(id)) {
      problems.push(`GITPOD_RUNNER_IDS: "${entry}" is not a runner id (a UUID, optionally as label=UUID)`);
      continue;
    }
    runners.push(label ? { id, label } : { id });
  }
  return runners;
}

function checkIds(
  name: string,
  values: string[],
  pattern: RegExp,
  example: string,
  problems: string[],
): void {
  for (const value of values) {
    if (!pattern.test(value)) problems.push(`${name}: "${value}" is not an id like ${example}`);
  }
}

/** Parse and validate; throws ConfigError naming every problem. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): BotConfig {
  const blankToUndefined = Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, value?.trim() === "" ? undefined : value]),
  );
  const parsed = EnvSchema.safeParse(blankToUndefined);
  const problems: string[] = parsed.success ? [] : parsed.error.issues.map((issue) => issueText(issue));
  const raw = parsed.success ? parsed.data : undefined;

  const runners = parseRunners(env.GITPOD_RUNNER_IDS ?? "", problems);
  if (
    env.GITPOD_RUNNER_IDS?.trim() &&
    runners.length === 0 &&
    !problems.some((p) => p.startsWith("GITPOD_RUNNER_IDS"))
  ) {
    problems.push("GITPOD_RUNNER_IDS lists no runner id");
  }
  const rotateUserIds = list(env.SLACK_ROTATE_USER_IDS);
  checkIds("SLACK_ROTATE_USER_IDS", rotateUserIds, USER_ID, "U0123ABCD", problems);
  const approverIds = list(env.SLACK_ROTATE_APPROVERS);
  for (const id of approverIds) {
    if (!USER_ID.test(id) && !USERGROUP_ID.test(id))
      problems.push(
        `SLACK_ROTATE_APPROVERS: "${id}" is not a user id like U0123ABCD or a user group id like S0123ABCD`,
      );
  }
  const required = Number(env.SLACK_ROTATE_APPROVALS_REQUIRED ?? 0);
  if (required > 0 && approverIds.length === 0)
    problems.push(
      "SLACK_ROTATE_APPROVALS_REQUIRED is set, so SLACK_ROTATE_APPROVERS must name who may approve",
    );
  const viewChannelIds = list(env.SLACK_VIEW_CHANNEL_IDS);
  checkIds("SLACK_VIEW_CHANNEL_IDS", viewChannelIds, CHANNEL_ID, "C0123ABCD", problems);
  if (!env.SLACK_APP_TOKEN?.trim() && !env.SLACK_SIGNING_SECRET?.trim()) {
    problems.push("SLACK_SIGNING_SECRET is required in HTTP mode (when SLACK_APP_TOKEN is not set)");
  }
  let database: DatabaseTarget | undefined;
  try {
    database = parseDatabaseUrl(env.DATABASE_URL);
  } catch (error) {
    problems.push((error as Error).message);
  }
  // Ona's names first, then the legacy ones, each resolved on its own (shared/api/api-settings.ts).
  const apiKey = apiKeyFromEnvironment(blankToUndefined);
  if (!apiKey.found) problems.push(`${eitherName(API_KEY_VARIABLES)} is required`);
  const baseUrl = baseUrlFromEnvironment(blankToUndefined);
  if (baseUrl.found && !z.url().safeParse(baseUrl.found.value).success)
    problems.push(`${baseUrl.found.variable} must be a URL`);
  if (problems.length > 0 || !raw || !database || !apiKey.found)
    throw new ConfigError([...new Set(problems)]);

  return {
    slack: {
      botToken: raw.SLACK_BOT_TOKEN,
      ...(raw.SLACK_SIGNING_SECRET ? { signingSecret: raw.SLACK_SIGNING_SECRET } : {}),
      ...(raw.SLACK_APP_TOKEN ? { appToken: raw.SLACK_APP_TOKEN } : {}),
      ...(raw.SLACK_API_URL ? { apiUrl: raw.SLACK_API_URL } : {}),
    },
    gitpod: {
      apiKey: apiKey.found.value,
      apiKeyVariable: apiKey.found.variable,
      timeoutMs: raw.GITPOD_TIMEOUT_MS,
      tokenCheckMs: raw.GITPOD_TOKEN_CHECK_MS,
      ...(baseUrl.found ? { baseUrl: baseUrl.found.value, baseUrlVariable: baseUrl.found.variable } : {}),
    },
    warnings: [apiKey.warning, baseUrl.warning].filter((warning) => warning !== undefined),
    runners,
    maxInFlight: raw.BOT_MAX_IN_FLIGHT,
    maxBodyBytes: raw.BOT_MAX_BODY_BYTES,
    authorization: {
      rotateUserIds,
      viewChannelIds,
      ...(raw.SLACK_ROTATE_USERGROUP_ID ? { rotateUsergroupId: raw.SLACK_ROTATE_USERGROUP_ID } : {}),
    },
    auditChannelId: raw.SLACK_AUDIT_CHANNEL_ID,
    command: raw.SLACK_COMMAND,
    port: raw.PORT,
    ...(raw.HOST ? { host: raw.HOST } : {}),
    workflowSteps: raw.SLACK_WORKFLOW_STEPS === "true",
    approvals: {
      approverIds,
      required: raw.SLACK_ROTATE_APPROVALS_REQUIRED,
      ttlMs: raw.SLACK_ROTATE_APPROVAL_TTL_MS,
    },
    state: {
      database,
      leaseTtlMs: raw.BOT_LEASE_TTL_MS,
      leaseWaitMs: raw.BOT_LEASE_WAIT_MS,
      shutdownGraceMs: raw.BOT_SHUTDOWN_GRACE_MS,
    },
  };
}

/** Our messages already name the variable; zod's generic ones get the variable name prefixed. */
function issueText(issue: z.core.$ZodIssue): string {
  const name = String(issue.path[0] ?? "configuration");
  return issue.message.includes(name) ? issue.message : `${name}: ${issue.message}`;
}

/** Runner labels by id, for messages. */
export function runnerLabels(config: Pick<BotConfig, "runners">): Record<string, string> {
  return Object.fromEntries(
    config.runners.flatMap((runner) => (runner.label ? [[runner.id, runner.label] as const] : [])),
  );
}
