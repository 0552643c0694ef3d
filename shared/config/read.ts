/** Reading a config file from disk: the size limit is checked before reading, the bytes before parsing. */
import { readFile, stat } from "node:fs/promises";
import { decodeConfigBytes, tooLargeIssue } from "./decode.js";
import { MAX_CONFIG_BYTES } from "./limits.js";
import type { ConfigIssue } from "./types.js";

export type ReadConfig = { ok: true; text: string } | { ok: false; issue: ConfigIssue | undefined };

/** The text, or the issue that refuses it, or `issue: undefined` when the file cannot be read at all. */
export async function readConfigText(file: string): Promise<ReadConfig> {
  let bytes: Buffer;
  try {
    const { size } = await stat(file);
    // Refused before reading: a huge file is never loaded.
    if (size > MAX_CONFIG_BYTES) return { ok: false, issue: tooLargeIssue(file, size) };
    bytes = await readFile(file);
  } catch {
    return { ok: false, issue: undefined };
  }
  const decoded = decodeConfigBytes(file, bytes);
  return decoded.ok ? decoded : { ok: false, issue: decoded.issue };
}
