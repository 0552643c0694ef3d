/** The entries of a comma- or newline-separated setting (an action input, a flag), trimmed, blank ones dropped. */
export function listEntries(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}
