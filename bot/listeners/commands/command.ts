/**
 * What a subcommand is: one module with its name, usage, help line, parser, authorization and
 * handler. The table (`table.ts`) lists them; help, usage answers, the manifest's usage_hint and
 * dispatch all come from it.
 */
import type { BotContext } from "../../context.js";
import type { Respond } from "../../slack/deliver.js";

/** One slash command as Slack sent it, after the ack. Its text is never logged (it may hold a secret). */
export interface SlashCommand {
  text: string;
  userId: string;
  channelId: string;
  triggerId: string;
  responseUrl: string;
}

/** Arguments a subcommand cannot use: answered with its usage, or refused as a typed secret. */
export class ParseProblem {
  constructor(
    readonly problem: string,
    /** The words looked like a secret: the person is told to revoke it, and nothing else happens. */
    readonly secret = false,
  ) {}
}

export const SECRET_TYPED = new ParseProblem("a secret-looking value was typed into the command", true);

/** Why a subcommand is not run for this person or channel. */
export interface Refusal {
  /** "You are not allowed to <what>: <reason>." */
  what: string;
  reason: string;
  /** For the log line. */
  outcome: string;
}

export interface CommandModule<Name extends string = string, Args extends object = object> {
  readonly name: Name;
  /** The arguments after the name, as help, usage answers and the manifest's usage_hint show them. */
  readonly usage: string;
  /** What it does, for help. */
  readonly summary: string;
  /** The arguments of an example for help. */
  readonly example?: string;
  /**
   * Refusals before the handler runs (a typed secret, the channel) also go to the audit trail, with
   * the subcommand's name as the action.
   */
  readonly auditRefusals?: boolean;
  /** Pure: the words after the name (secret-looking words were already refused). */
  parse(args: readonly string[]): Args | ParseProblem;
  /** Before any Gitpod call: undefined to go ahead. */
  authorize(bot: BotContext, command: SlashCommand): Promise<Refusal | undefined> | Refusal | undefined;
  /** After the ack; returns the outcome for the log line. */
  handle(bot: BotContext, command: SlashCommand, args: Args, respond: Respond): Promise<string>;
}

/** Keeps the literal name, so the table's parsed commands are a union the compiler checks. */
export function defineCommand<const Name extends string, Args extends object>(
  module: CommandModule<Name, Args>,
): CommandModule<Name, Args> {
  return module;
}

export function usageLine(command: string, module: Pick<CommandModule, "name" | "usage">): string {
  return module.usage ? `${command} ${module.name} ${module.usage}` : `${command} ${module.name}`;
}
