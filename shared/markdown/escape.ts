/**
 * Text that does not come from our code (file content, API answers) printed in GitHub markdown: it
 * must read as plain text, never as markup, a table border, a link or an HTML tag.
 */

/** For HTML contexts (`<summary>`): entities only. */
export function htmlText(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/**
 * For markdown text and table cells: one line, HTML-escaped, markdown punctuation backslashed. An
 * underscore between letters or digits (`GL_OAUTH_SECRET`) cannot start or end emphasis and is left
 * as is; `!` needs no escape because `[` always gets one (no image without a bracket). `@name`
 * mentions are defused (a zero-width space after the `@`) so foreign text cannot ping anyone.
 */
export function markdownText(text: string): string {
  return htmlText(text)
    .replace(/\s*[\r\n]+\s*/g, " ")
    .replace(/[\\`*[\]#~|]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, (character) => `\\${character}`)
    .replace(/(^|[^\w.+-])@(?=\w)/g, "$1@\u200b");
}

/**
 * For an inline code span (a table cell may hold one): markdown escapes do not work inside code,
 * so a backtick becomes ' and a line break a space; the pipe stays escaped for the table parser.
 */
export function codeSpan(text: string): string {
  return `\`${text
    .replace(/\s*[\r\n]+\s*/g, " ")
    .replaceAll("`", "'")
    .replaceAll("|", "\\|")}\``;
}
