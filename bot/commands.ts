/**
 * Parsing of the slash command's text into what to do. Pure: no Slack, no Gitpod. A string that
 * looks like a secret is recognised so the bot can refuse it (secrets only travel through the modal).
 */

export type Target = { kind: "id"; id: string } | { kind: "host"; host: string };

export type SubcommandName = "help" | "list" | "validate" | "rotate" | "history" | "revoke";

/** Whose host tokens `revoke` deletes: every token of the host, all users' tokens, or one owner's. */
export type RevokeSelector =
  | { kind: "everyone" }
  | { kind: "all-users" }
  | { kind: "user"; id: string }
  | { kind: "service-account"; id: string };

export type ParsedCommand =
  | { kind: "help" }
  | { kind: "list"; filter?: Target }
  | { kind: "validate"; target: Target }
  | { kind: "rotate"; target: Target }
  | { kind: "history"; filter?: Target }
  | { kind: "revoke"; host: string; selector: RevokeSelector }
  /** Unknown subcommand or a missing/bad argument: answer with the usage line(s). */
  | { kind: "usage"; subcommand?: SubcommandName; problem: string }
  /** Something secret-looking was typed: refuse, warn to revoke it. */
  | { kind: "secret"; subcommand: string };

export const SUBCOMMANDS: readonly SubcommandName[] = [
  "help",
  "list",
  "validate",
  "rotate",
  "history",
  "revoke",
];

export function usageLine(command: string, subcommand: SubcommandName): string {
  switch (subcommand) {
    case "help":
      return `${command} help`;
    case "list":
      return `${command} list [runner-id | host]`;
    case "validate":
      return `${command} validate <integration-id | host>`;
    case "rotate":
      return `${command} rotate <integration-id | host>`;
    case "history":
      return `${command} history [integration-id | host]`;
    case "revoke":
      return `${command} revoke <host> [@user-id | all-users | service-account <id>]`;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOST = new RegExp(`^${LABEL}(?:\\.${LABEL})*(?::\\d{1,5})?$`, "i");

/** Known token shapes plus long random-looking strings. */
export function looksLikeSecret(word: string): boolean {
  // Ids are not secrets, also as `revoke`'s `@<user-id>`.
  if (UUID.test(word.replace(/^@/, ""))) return false;
  if (/^[0-9a-f]{32,}$/i.test(word)) return true;
  if (/^(gh[opusr]_|github_pat_|glpat-|gloas-|xox[abpe]-|xapp-|sk-)/i.test(word)) return true;
  if (word.length >= 20 && !word.includes(".") && /[a-z]/i.test(word) && /\d/.test(word)) return true;
  return false;
}

/**
 * Slack may send a host as a link (`<https://github.com|github.com>`) and people paste URLs:
 * reduce both to the bare host.
 */
function unwrap(word: string): string {
  const link = /^<([^|>]+)(?:\|([^>]+))?>$/.exec(word);
  let value = link ? (link[2] ?? link[1] ?? word) : word;
  value = value.replace(/^https?:\/\//i, "").replace(/\/+$/, "");
  return value;
}

/** An integration/runner id, or a host; undefined for anything else. */
export function parseTarget(word: string): Target | undefined {
  const value = unwrap(word.trim());
  if (UUID.test(value)) return { kind: "id", id: value.toLowerCase() };
  // A host needs a dot, a port or to be localhost: a single random word is not taken for a host.
  if (
    HOST.test(value) &&
    (value.includes(".") || value.includes(":") || value.toLowerCase() === "localhost")
  ) {
    return { kind: "host", host: value.toLowerCase() };
  }
  return undefined;
}

export function parseCommand(text: string): ParsedCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first, ...args] = words;
  if (first === undefined) return { kind: "help" };
  const subcommand = first.toLowerCase();

  if (subcommand === "rotate") {
    // Anything beyond one id/host may be a secret: refuse it all rather than guess.
    const [word, ...extra] = args;
    if (word === undefined)
      return { kind: "usage", subcommand, problem: "which integration? Give its id or host." };
    const target = parseTarget(word);
    if (!target || extra.length > 0) return { kind: "secret", subcommand };
    return { kind: "rotate", target };
  }
  if (words.some(looksLikeSecret))
    return { kind: "secret", subcommand: SUBCOMMANDS.find((name) => name === subcommand) ?? "" };

  switch (subcommand) {
    case "help":
      return { kind: "help" };
    case "list": {
      if (args.length === 0) return { kind: "list" };
      const filter = args.length === 1 && args[0] !== undefined ? parseTarget(args[0]) : undefined;
      if (!filter) return { kind: "usage", subcommand, problem: "give at most one runner id or host." };
      return { kind: "list", filter };
    }
    case "validate": {
      if (args.length === 0)
        return { kind: "usage", subcommand, problem: "which integration? Give its id or host." };
      const target = args.length === 1 && args[0] !== undefined ? parseTarget(args[0]) : undefined;
      if (!target) return { kind: "usage", subcommand, problem: "give one integration id or host." };
      return { kind: "validate", target };
    }
    case "history": {
      if (args.length === 0) return { kind: "history" };
      const filter = args.length === 1 && args[0] !== undefined ? parseTarget(args[0]) : undefined;
      if (!filter) return { kind: "usage", subcommand, problem: "give at most one integration id or host." };
      return { kind: "history", filter };
    }
    case "revoke":
      return parseRevoke(args);
    default:
      return { kind: "usage", problem: `unknown command "${first.slice(0, 40)}".` };
  }
}

/** `revoke <host> [@user-id | all-users | service-account <id>]`; owners are Gitpod ids (UUIDs). */
function parseRevoke(args: readonly string[]): ParsedCommand {
  const subcommand = "revoke";
  const [hostWord, ...rest] = args;
  const target = hostWord === undefined ? undefined : parseTarget(hostWord);
  if (target?.kind !== "host")
    return { kind: "usage", subcommand, problem: "which host? Give the SCM host, e.g. github.com." };
  const host = target.host;
  const [first, second, ...extra] = rest;
  if (first === undefined) return { kind: "revoke", host, selector: { kind: "everyone" } };
  const word = first.toLowerCase();
  if (word === "all-users" && second === undefined)
    return { kind: "revoke", host, selector: { kind: "all-users" } };
  if (word === "service-account" && second !== undefined && extra.length === 0 && UUID.test(second))
    return { kind: "revoke", host, selector: { kind: "service-account", id: second.toLowerCase() } };
  const user = /^@?([0-9a-f-]{36})$/i.exec(first)?.[1];
  if (user && UUID.test(user) && second === undefined)
    return { kind: "revoke", host, selector: { kind: "user", id: user.toLowerCase() } };
  return {
    kind: "usage",
    subcommand,
    problem:
      "after the host give @<gitpod-user-id>, all-users or service-account <id> (or nothing for every token).",
  };
}
