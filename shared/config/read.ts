/** Reading a config file from disk: the size limit is checked before reading, the bytes before parsing. */
import { readFile, stat } from "node:fs/promises";
import { decodeConfigBytes, tooLargeIssue } from "./decode.js";
import { MAX_CONFIG_BYTES } from "./limits.js";
import type { ConfigIssue } from "./types.js";

export type ReadConfig =
  | { ok: true; text: string }
  /** `code`: the system's reason (ENOENT, EACCES, EISDIR) when the file cannot be read at all. */
  | { ok: false; issue: ConfigIssue | undefined; code?: string };

/** The text, or the issue that refuses it, or `issue: undefined` when the file cannot be read at all. */
export async function readConfigText(file: string): Promise<ReadConfig> {
  let bytes: Buffer;
  try {
    const { size } = await stat(file);
    // Refused before reading: a huge file is never loaded.
    if (size > MAX_CONFIG_BYTES) return { ok: false, issue: tooLargeIssue(file, size) };
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    return { ok: false, issue: undefined, ...(code ? { code } : {}) };
  }
  const decoded = decodeConfigBytes(file, bytes);
  return decoded.ok ? decoded : { ok: false, issue: decoded.issue };
}
