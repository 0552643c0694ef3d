/** Reading and writing the CLI's files, with errors that say why (missing, no permission, a directory). */
import { mkdir, readFile, realpath, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { ConfigRoot } from "../../shared/config/confine.js";
import { readConfigText } from "../../shared/config/read.js";
import type { ConfigIssue } from "../../shared/config/types.js";

export class FileError extends Error {}

/** Why a file cannot be read, in words (the action's `config` input says the same as the CLI). */
export function unreadableReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return "does not exist (ENOENT)";
    case "EACCES":
    case "EPERM":
      return `cannot be read: permission denied (${code})`;
    case "EISDIR":
      return "is a directory, not a file (EISDIR)";
    default:
      return code
        ? `cannot be read (${code})`
        : error instanceof Error
          ? `cannot be read (${error.message})`
          : "cannot be read";
  }
}

/** `what` names where the path came from, e.g. `--config`. */
export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new FileError(`${what}: ${path} ${unreadableReason(error)}`);
  }
}

/** Writes `path`, creating its missing parent folders (`--out .gitpod/runner-config.yaml` in a fresh repository). */
export async function writeTextFile(path: string, text: string, what: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const why =
      code === "ENOTDIR"
        ? "a parent of it is a file, not a folder (ENOTDIR)"
        : code === "EACCES" || code === "EPERM"
          ? `permission denied (${code})`
          : code === "EISDIR"
            ? "is a directory (EISDIR)"
            : `(${code ?? String(error)})`;
    throw new FileError(`${what}: cannot write ${path}: ${why}`);
  }
}

/**
 * The runner-config file's text: the shared reader's size and encoding checks (an issue, exit 1),
 * else why the file cannot be read at all.
 */
/**
 * What a config file not named on the command line must be inside: the git repository of the
 * current directory (the nearest directory up with a `.git`), else the current directory.
 */
export async function repositoryRoot(cwd: string = process.cwd()): Promise<ConfigRoot> {
  const start = await realpath(cwd);
  for (let dir = start; ; dir = dirname(dir)) {
    if (await exists(join(dir, ".git"))) return { dir, name: `the repository (${dir})` };
    if (dirname(dir) === dir) return { dir: start, name: `the current directory (${start})` };
  }
}

/** Whether anything (a file, a folder) is at the path. */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** With `root`, a file whose real path is outside it is refused (an issue), nothing of it read. */
export async function readConfigFile(
  path: string,
  what: string,
  root?: ConfigRoot,
): Promise<{ text: string } | { issue: ConfigIssue }> {
  const read = await readConfigText(path, root);
  if (read.ok) return { text: read.text };
  if (read.issue) return { issue: read.issue };
  return { text: await readTextFile(path, what) };
}
