/** The one way secrets are taken out of text before it is printed, logged, posted or thrown. */

export const REDACTED = "[redacted]";

/**
 * Replaces every occurrence of each secret in text. Values shorter than 4 characters are skipped:
 * they are not secrets, and replacing them would garble ordinary words.
 */
export function scrub(text: string, secrets: Iterable<string | undefined>): string {
  // Longest first, so a secret that contains another is not left half replaced.
  const ordered = [...secrets]
    .filter((secret): secret is string => secret !== undefined && secret.length >= 4)
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of ordered) out = out.split(secret).join(REDACTED);
  return out;
}
