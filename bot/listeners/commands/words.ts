/**
 * The words a subcommand's arguments are made of: ids, hosts, and strings that look like secrets
 * (recognised so the bot can refuse them: secrets only travel through the modal). Pure.
 */

import type { Target } from "../../gitpod/reads.js";
import { ParseProblem } from "./command.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOST = new RegExp(`^${LABEL}(?:\\.${LABEL})*(?::\\d{1,5})?$`, "i");

export function isUuid(word: string): boolean {
  return UUID.test(word);
}

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

export function targetText(target: Target): string {
  return target.kind === "id" ? target.id : target.host;
}

/** No words (no filter) or exactly one target; `what` names the target in the problem. */
export function parseOptionalTarget(
  args: readonly string[],
  what: string,
): { filter?: Target } | ParseProblem {
  if (args.length === 0) return {};
  const filter = args.length === 1 && args[0] !== undefined ? parseTarget(args[0]) : undefined;
  return filter ? { filter } : new ParseProblem(`give at most one ${what}.`);
}
