/**
 * Text that did not come from our own code (file content, API answers) printed where something
 * interprets it. The GitHub runner reads every stdout line that starts with `::` (after spaces) as a
 * workflow command (`::error`, `::add-mask::`, `::stop-commands::`), and `##[` anywhere as the older
 * form; terminals interpret control characters. This is the one helper for both.
 */

/** A zero-width space: the text reads the same, and no longer parses as a command. */
const BREAK = "\u200b";

/**
 * Every line of `text` made inert for the runner: a line starting with `::` (after whitespace) and
 * every `##[` get a zero-width space between the marks. Lines without them are unchanged.
 */
export function escapeWorkflowCommands(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      let out = line.includes("##[") ? line.replaceAll("##[", `#${BREAK}#[`) : line;
      const start = out.length - out.trimStart().length;
      if (out.startsWith("::", start)) out = `${out.slice(0, start)}:${BREAK}${out.slice(start + 1)}`;
      return out;
    })
    .join("\n");
}

/**
 * One piece of foreign text kept on one line: newlines and other control characters (ESC for
 * terminal escape sequences, carriage returns, Unicode line separators) shown as `\n`, `\x1b`, ....
 */
export function oneLine(piece: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  return piece.replace(/[\u0000-\u0008\u000a-\u001f\u007f\u0085\u2028\u2029]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    const hex = c.charCodeAt(0).toString(16).padStart(2, "0");
    return c.charCodeAt(0) < 0x100 ? `\\x${hex}` : `\\u${hex.padStart(4, "0")}`;
  });
}
