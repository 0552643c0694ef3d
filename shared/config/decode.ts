/**
 * Turning the bytes of a config file into text, refusing what would otherwise be silently changed:
 * invalid UTF-8 (decoded as U+FFFD) and files over the size limit.
 */
import { MAX_CONFIG_BYTES, MAX_CONFIG_SIZE_TEXT } from "./limits.js";
import type { ConfigIssue } from "./types.js";

export type DecodedConfig = { ok: true; text: string } | { ok: false; issue: ConfigIssue };

const fatal = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export function decodeConfigBytes(file: string, bytes: Uint8Array): DecodedConfig {
  if (bytes.length > MAX_CONFIG_BYTES) return { ok: false, issue: tooLargeIssue(file, bytes.length) };
  try {
    return { ok: true, text: fatal.decode(bytes) };
  } catch {
    const { line, column } = firstInvalidUtf8(bytes);
    return {
      ok: false,
      issue: { file, line, column, path: "", message: "the file is not valid UTF-8 (first bad byte here)" },
    };
  }
}

export function tooLargeIssue(file: string, size: number): ConfigIssue {
  return {
    file,
    line: 1,
    column: 1,
    path: "",
    message: `the file is ${size} bytes; the limit is ${MAX_CONFIG_BYTES} bytes (${MAX_CONFIG_SIZE_TEXT})`,
  };
}

/** Line and column (in bytes) of the first byte that does not belong to a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i] ?? 0;
    const length =
      byte < 0x80
        ? 1
        : byte >= 0xc2 && byte < 0xe0
          ? 2
          : byte >= 0xe0 && byte < 0xf0
            ? 3
            : byte >= 0xf0 && byte < 0xf5
              ? 4
              : 0;
    const sequence = length === 0 ? undefined : bytes.subarray(i, i + length);
    if (!sequence || sequence.length < length || !validSequence(sequence)) {
      return { line, column: i - lineStart + 1 };
    }
    if (byte === 0x0a) {
      line += 1;
      lineStart = i + 1;
    }
    i += length;
  }
  return { line, column: 1 };
}

function validSequence(sequence: Uint8Array): boolean {
  try {
    fatal.decode(sequence);
    return true;
  } catch {
    return false;
  }
}
