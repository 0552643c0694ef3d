/** Reading a config file from disk: the size limit is checked before reading, the bytes before parsing. */
import { readFile, realpath, stat } from "node:fs/promises";
import { type ConfigRoot, placeOutside } from "./confine.js";
import { decodeConfigBytes, tooLargeIssue } from "./decode.js";
import { MAX_CONFIG_BYTES } from "./limits.js";
import type { ConfigIssue } from "./types.js";

export type ReadConfig =
  | { ok: true; text: string }
  /** `code`: the system's reason (ENOENT, EACCES, EISDIR) when the file cannot be read at all. */
  | { ok: false; issue: ConfigIssue | undefined; code?: string };

/**
 * The text, or the issue that refuses it, or `issue: undefined` when the file cannot be read at all.
 * With `root`, a file whose real path (symlinks followed) is outside it is refused before anything
 * of it is read: a symlink to `../.git/config` would otherwise be quoted in errors.
 */
export async function readConfigText(file: string, root?: ConfigRoot): Promise<ReadConfig> {
  let bytes: Buffer;
  try {
    const path = await realpath(file);
    const place = root ? await placeOutside(path, root) : undefined;
    if (place) {
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
