/**
 * The command table: every subcommand, in the order help shows them. Parsing, help, usage answers,
 * the manifest's usage_hint (test/bot/command-table.test.ts) and dispatch all come from it.
 * Adding a subcommand: one module in this folder, one entry here (CONTRIBUTING.md).
 */

import { didYouMean } from "../../../shared/text/did-you-mean.js";
import { type CommandModule, ParseProblem, usageLine } from "./command.js";
import { helpCommand } from "./help.js";
import { historyCommand } from "./history.js";
import { listCommand } from "./list.js";
import { revokeCommand } from "./revoke.js";
import { rotateCommand } from "./rotate.js";
import { rotateLlmCommand } from "./rotate-llm.js";
import { rotateTokenCommand } from "./rotate-token.js";
import { validateCommand } from "./validate.js";
import { looksLikeSecret } from "./words.js";

function table(): readonly CommandModule[] {
  return COMMANDS;
}

export const COMMANDS = [
  listCommand,
  validateCommand,
  rotateCommand,
  rotateTokenCommand,
  rotateLlmCommand,
  historyCommand,
  revokeCommand,
  helpCommand(table),
] as const;

type Table = typeof COMMANDS;
type SubcommandName = Table[number]["name"];
/** A subcommand to run: its name as `kind`, beside the arguments its module parsed. */
type InvocationOf<Module> =
  Module extends CommandModule<infer Name, infer Args> ? { kind: Name } & Args : never;
type Invocation = InvocationOf<Table[number]>;

export type ParsedCommand =
  | Invocation
  /** Unknown subcommand or a missing/bad argument: answer with the usage line(s). */
  | { kind: "usage"; subcommand?: SubcommandName; problem: string }
  /** Something secret-looking was typed: refuse, warn to revoke it. */
  | { kind: "secret"; subcommand: SubcommandName | "" };

export function commandNamed(name: string): CommandModule | undefined {
  return COMMANDS.find((module) => module.name === name);
}

/** Pure: no Slack, no Gitpod. Empty text is `help`. */
export function parseCommand(text: string): ParsedCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first, ...args] = words;
  if (first === undefined) return { kind: "help" };
  const module = COMMANDS.find((candidate) => candidate.name === first.toLowerCase());
  if (words.some(looksLikeSecret)) return { kind: "secret", subcommand: module?.name ?? "" };
  if (!module) {
    const near = didYouMean(
      first,
      COMMANDS.map((candidate) => candidate.name),
    );
    return { kind: "usage", problem: `unknown command "${first.slice(0, 40)}"${near}.` };
  }
  const parsed = module.parse(args);
  if (parsed instanceof ParseProblem) {
    return parsed.secret
      ? { kind: "secret", subcommand: module.name }
      : { kind: "usage", subcommand: module.name, problem: parsed.problem };
  }
  // The module's own parse produced these arguments, so they are that module's Invocation.
  return { ...parsed, kind: module.name } as Invocation;
}

/** The manifest's `usage_hint`: every subcommand's usage, in table order. */
export function usageHint(): string {
  return COMMANDS.map((module) => usageLine("", module).trim()).join(" | ");
}
