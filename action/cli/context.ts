/** What every command gets: the process's I/O, its parsed flags, the terminal. */

import {
  API_KEY_VARIABLES,
  apiKeyFromEnvironment,
  baseUrlFromEnvironment,
  DEFAULT_BASE_URL,
  eitherName,
} from "../../shared/api/api-settings.js";
import type { GitpodClient } from "../../shared/api/index.js";
import { clientFor } from "../client.js";
import { type ParsedArgs, stringFlag } from "./args.js";
import type { Terminal } from "./terminal.js";

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
  /** Writes without a newline (progress redraws); only used when standard output is a terminal. */
  write?: (text: string) => void;
  stdoutIsTTY?: boolean;
  stdinIsTTY?: boolean;
  /** Asks a question on the terminal and resolves with the answer. */
  ask?: (question: string) => Promise<string>;
}

export interface CommandContext {
  io: CliIo;
  args: ParsedArgs;
  /** The command's raw arguments (to tell a flag given from its default). */
  argv: string[];
  term: Terminal;
  /** The exit code of a usage error (2, or 1 with --detailed-exitcode). */
  usageCode: number;
}

export class CliFailure extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/** The API token, or a usage error saying how to give one; a token set under both names is warned of. */
export function requireToken(context: CommandContext): string {
  const { found, warning } = apiKeyFromEnvironment(context.io.env);
  if (!found)
    throw new CliFailure(
      `${eitherName(API_KEY_VARIABLES)} is not set: export a Gitpod API token first`,
      context.usageCode,
    );
  if (warning) context.io.err(`warning: ${warning}`);
  return found.value;
}

/** The API URL given with --api-url (else the client uses ONA_BASE_URL, GITPOD_BASE_URL or its default). */
function apiUrlFlag(context: CommandContext): string | undefined {
  return stringFlag(context.args, "api-url");
}

/** Where the API address came from and what it is: the flag, a variable, or the default. */
function apiAddress(context: CommandContext): { url: string; setting: string; from: string } {
  const flag = apiUrlFlag(context);
  if (flag) return { url: flag, setting: "--api-url", from: "--api-url" };
  const { found } = baseUrlFromEnvironment(context.io.env);
  if (found) return { url: found.value, setting: found.variable, from: found.variable };
  return { url: DEFAULT_BASE_URL, setting: "ONA_BASE_URL (or --api-url)", from: "the default" };
}

/** Where the data comes from, for messages and export headers (never holds a token). */
export function apiSource(context: CommandContext): string {
  return apiAddress(context).url;
}

/** "https://app.ona.com/api (ONA_BASE_URL) with the token in ONA_API_KEY": what the CLI used, for people. */
export function apiUsed(context: CommandContext): string {
  const address = apiAddress(context);
  const token = apiKeyFromEnvironment(context.io.env).found?.variable;
  return `${address.url} (${address.from})${token ? ` with the token in ${token}` : ""}`;
}

/**
 * The API client; a configuration error (a proxy variable that is not a URL, a bad tuning knob) is a
 * usage error, said in one line without a stack.
 */
export function apiClient(context: CommandContext, token: string, concurrency?: number): GitpodClient {
  const address = apiAddress(context);
  const { warning } = address.from === "--api-url" ? {} : baseUrlFromEnvironment(context.io.env);
  if (warning) context.io.err(`warning: ${warning}`);
  const tokenVariable = apiKeyFromEnvironment(context.io.env).found?.variable ?? API_KEY_VARIABLES[0];
  try {
    return clientFor(token, address.url, context.io.env, concurrency, {
      apiKey: tokenVariable,
      baseUrl: address.setting,
    });
  } catch (error) {
    throw new CliFailure(error instanceof Error ? error.message : String(error), context.usageCode);
  }
}
