/** Reading a config file from disk: the size limit is checked before reading, the bytes before parsing. */
import { readFile, realpath, stat } from "node:fs/promises";
import { isAbsolute, relative, sep } from "node:path";
import { decodeConfigBytes, tooLargeIssue } from "./decode.js";
import { MAX_CONFIG_BYTES } from "./limits.js";
import type { ConfigIssue } from "./types.js";

export type ReadConfig =
  | { ok: true; text: string }
  /** `code`: the system's reason (ENOENT, EACCES, EISDIR) when the file cannot be read at all. */
  | { ok: false; issue: ConfigIssue | undefined; code?: string };

/** The directory a config file must be inside, and how messages name it ("the workspace (GITHUB_WORKSPACE)"). */
export interface ConfigRoot {
  dir: string;
  name: string;
}

/**
 * The text, or the issue that refuses it, or `issue: undefined` when the file cannot be read at all.
 * With `root`, a file whose real path (symlinks followed) is outside it is refused before anything
 * of it is read: a symlink to `../.git/config` would otherwise be quoted in errors.
 */
export async function readConfigText(file: string, root?: ConfigRoot): Promise<ReadConfig> {
  let bytes: Buffer;
  try {
    const path = await realpath(file);
    const where = root ? placeIn(path, await realpath(root.dir)) : "inside";
    if (root && where !== "inside") {
      const place = where === "git" ? `in the .git directory of ${root.name}` : `outside ${root.name}`;
      return {
        ok: false,
        issue: {
          file,
          line: 1,
          column: 1,
          path: "",
          message: `the file's real path is ${place} (a symlink?); a config file must be inside it, and nothing of this one was read`,
        },
      };
    }
    const { size } = await stat(path);
    // Refused before reading: a huge file is never loaded.
    if (size > MAX_CONFIG_BYTES) return { ok: false, issue: tooLargeIssue(file, size) };
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    return { ok: false, issue: undefined, ...(code ? { code } : {}) };
  }
  const decoded = decodeConfigBytes(file, bytes);
  return decoded.ok ? decoded : { ok: false, issue: decoded.issue };
}

/**
 * Where the real path `path` is relative to `dir` (both real paths). Its `.git` directory counts
 * apart: git's own files (`.git/config` holds the checkout's token) are never a config.
 */
function placeIn(path: string, dir: string): "inside" | "outside" | "git" {
  const rel = relative(dir, path);
  const [first] = rel.split(sep);
  if (rel === "" || first === ".." || isAbsolute(rel)) return "outside";
  return first === ".git" ? "git" : "inside";
}
