/** What every command gets: the process's I/O, its parsed flags, the terminal. */

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

/** The API token, or a usage error saying how to give one. */
export function requireToken(context: CommandContext): string {
  const token = context.io.env.GITPOD_API_KEY;
  if (!token)
    throw new CliFailure("GITPOD_API_KEY is not set: export a Gitpod API token first", context.usageCode);
  return token;
}

/** The API URL given with --api-url (else the client uses GITPOD_BASE_URL or its default). */
function apiUrlFlag(context: CommandContext): string | undefined {
  return stringFlag(context.args, "api-url");
}

/** Where the data comes from, for messages and export headers (never holds a token). */
export function apiSource(context: CommandContext): string {
  return apiUrlFlag(context) ?? context.io.env.GITPOD_BASE_URL ?? "https://app.gitpod.io/api";
}

/**
 * The API client; a configuration error (a proxy variable that is not a URL, a bad tuning knob) is a
 * usage error, said in one line without a stack.
 */
export function apiClient(context: CommandContext, token: string, concurrency?: number): GitpodClient {
  try {
    return clientFor(token, apiUrlFlag(context), context.io.env, concurrency);
  } catch (error) {
    throw new CliFailure(error instanceof Error ? error.message : String(error), context.usageCode);
  }
}
