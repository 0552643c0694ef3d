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

/** For markdown text and table cells: one line, HTML-escaped, markdown punctuation backslashed. */
export function markdownText(text: string): string {
  return htmlText(text)
    .replace(/\s*[\r\n]+\s*/g, " ")
    .replace(/[\\`*_[\]#~|!]/g, (character) => `\\${character}`);
}
