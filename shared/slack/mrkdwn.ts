/**
 * Slack mrkdwn helpers. Text that comes from users or the API (hosts, ids, error messages) is
 * escaped so it can neither break formatting nor inject mentions or links (<!channel>, <url|x>).
 */

/** Escape the three characters Slack's mrkdwn gives meaning to. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/**
 * A message's `text` (the notification and fallback text). Slack reads it as mrkdwn too, so a host
 * named `<!channel>` would notify the whole channel: build it from plain words, then pass it here.
 */
export function fallbackText(plain: string): string {
  return escapeMrkdwn(plain);
}

/** Inline code, escaped; backticks inside are replaced so the span cannot be closed early. */
export function code(text: string): string {
  return `\`${escapeMrkdwn(text).replaceAll("`", "'")}\``;
}

/** Bold, escaped; asterisks inside cannot end the emphasis early. */
export function bold(text: string): string {
  return `*${escapeMrkdwn(text).replaceAll("*", "∗")}*`;
}

/** A link with words to show, such as the workflow run a report came from. */
export interface Link {
  url: string;
  text: string;
}

/** A mrkdwn link: the URL encoded, the words escaped (a `>` in them cannot end the link early). */
export function linkMrkdwn(link: Link): string {
  return `<${encodeURI(link.url)}|${escapeMrkdwn(link.text)}>`;
}

/** A user mention for a Slack user id (ids are [A-Z0-9]; anything else is shown escaped). */
export function userMention(userId: string): string {
  return /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

/**
 * Split text into pieces of at most `limit` characters, at line ends where possible, never
 * dropping a character: a long list becomes several blocks rather than a cut one.
 */
export function splitText(text: string, limit: number): string[] {
  if (text.length <= limit) return [text];
  const pieces: string[] = [];
  let current = "";
  for (const line of text.split("\n")) {
    const candidate = current ? `${current}\n${line}` : line;
    if (candidate.length <= limit) {
      current = candidate;
      continue;
    }
    if (current) pieces.push(current);
    current = "";
    let rest = line;
    while (rest.length > limit) {
      pieces.push(rest.slice(0, limit));
      rest = rest.slice(limit);
    }
    current = rest;
  }
  if (current) pieces.push(current);
  return pieces;
}
