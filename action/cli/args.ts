/** Parses one command's flags from the table in commands.ts; a mistyped flag gets a "did you mean". */
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { didYouMean } from "../../shared/text/did-you-mean.js";

/** One flag of a command, as the table in commands.ts declares it. */
export interface FlagSpec {
  type: "string" | "boolean";
  /** Value placeholder in help, for string flags. */
  value?: string;
  description: string;
  default?: string;
  multiple?: boolean;
  short?: string;
}

/** What parsing needs of a command: its name (for errors) and its flags. */
interface FlagTable {
  name: string;
  flags: Record<string, FlagSpec>;
}

export class UsageError extends Error {}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parseCommandArgs(command: FlagTable, argv: string[]): ParsedArgs {
  const names = Object.keys(command.flags);
  for (const arg of argv) {
    if (arg === "--") break;
    if (!arg.startsWith("--")) continue;
    const name = arg.slice(2).split("=")[0] ?? "";
    if (!(name in command.flags)) {
      const hint = didYouMean(name, names).replace(/"([^"]+)"/, "--$1");
      throw new UsageError(`unknown flag --${name} for "${command.name}"${hint}`);
    }
  }
  const options: ParseArgsOptionsConfig = {};
  for (const [name, flag] of Object.entries(command.flags)) {
    options[name] = {
      type: flag.type,
      ...(flag.short ? { short: flag.short } : {}),
      ...(flag.multiple ? { multiple: true } : {}),
      ...(flag.default !== undefined ? { default: flag.default } : {}),
    };
  }
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs["values"], positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(
      `${command.name}: ${message.split("\n")[0]?.replace(/^TypeError \[[A-Z_]+\]: /, "")}`,
    );
  }
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === "string" ? value : undefined;
}

export function booleanFlag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

export function listFlag(args: ParsedArgs, name: string): string[] {
  const value = args.values[name];
  return Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
}
