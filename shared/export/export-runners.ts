/**
 * Export as both faces run it (the CLI's `export` and `init`, the action's `export` mode): which
 * runners were asked for, their objects read, and the file made of them. Errors say what is wrong
 * in words; each face adds how to fix it in its own terms (a flag, an input).
 */
import { z } from "zod";
import type { GitpodClient } from "../api/client.js";
import { ALL_KINDS } from "../kinds/registry.js";
import { type ExportOptions, type ExportResult, exportRunnerConfig } from "./export.js";
import { readExportState } from "./read-state.js";

/** No runner has anything export can list; the message says which kinds were looked for. */
export class NothingToExportError extends Error {}

/**
 * The runner ids given, or `ids: undefined` for `all` (every runner); else what is wrong, starting
 * with `what` (`--runner`, `input runners`). `given` must not be empty.
 */
export function runnerSelection(
  given: readonly string[],
  what: string,
): { ok: true; ids: string[] | undefined } | { ok: false; error: string } {
  if (given.includes("all")) {
    return given.length > 1
      ? { ok: false, error: `${what}: all exports every runner: give it alone` }
      : { ok: true, ids: undefined };
  }
  const notId = given.find((id) => !z.uuid().safeParse(id).success);
  if (notId !== undefined)
    return { ok: false, error: `${what}: "${notId}" is not a runner id (a UUID) or all` };
  return { ok: true, ids: [...new Set(given)] };
}

/**
 * The runners (`ids`, or every runner export can find) as a runner-config file. Throws
 * UnknownRunnerError (read-state.ts) for a named runner the token cannot see, and
 * NothingToExportError when `all` finds none.
 */
export async function exportRunners(
  client: GitpodClient,
  ids: string[] | undefined,
  options: ExportOptions,
): Promise<ExportResult> {
  const runners = await readExportState(client, ids);
  if (runners.length === 0) {
    throw new NothingToExportError(
      `no runner has ${ALL_KINDS.filter((kind) => kind.readEveryRunner)
        .map((kind) => `an ${kind.label}`)
        .join(" or ")}: nothing to export`,
    );
  }
  return exportRunnerConfig(runners, options);
}
