/**
 * The `config` setting names one file, several (comma- or newline-separated), or glob patterns such
 * as `.gitpod/runners/*.yaml`: one file per team or per runner, planned as one.
 */
import { glob } from "node:fs/promises";
import { listEntries as entriesOf } from "../text/list-entries.js";

export type ConfigPaths = { ok: true; files: string[] } | { ok: false; error: string };

const GLOB_CHARACTERS = /[*?[\]{}]/;

/** The entries of the setting that name a file literally (no glob pattern). */
export function literalConfigPaths(setting: string): string[] {
  return entriesOf(setting).filter((entry) => !GLOB_CHARACTERS.test(entry));
}

/** The one file the setting names literally, or undefined when it names several or a pattern. */
export function singleConfigPath(setting: string): string | undefined {
  const entries = entriesOf(setting);
  const [only] = entries;
  return entries.length === 1 && only !== undefined && !GLOB_CHARACTERS.test(only) ? only : undefined;
}

/** The files the setting names, in the order given (a pattern's matches sorted), each once. */
export async function expandConfigPaths(setting: string, cwd: string = process.cwd()): Promise<ConfigPaths> {
  const entries = entriesOf(setting);
  if (entries.length === 0) return { ok: false, error: "no config file given" };
  const files: string[] = [];
  for (const entry of entries) {
    if (!GLOB_CHARACTERS.test(entry)) {
      files.push(entry);
      continue;
    }
    const matches: string[] = [];
    for await (const match of glob(entry, { cwd })) matches.push(match);
    if (matches.length === 0) return { ok: false, error: `config pattern "${entry}" matches no file` };
    files.push(...matches.sort());
  }
  return { ok: true, files: [...new Set(files)] };
}
