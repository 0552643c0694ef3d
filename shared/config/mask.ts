/**
 * What error output may quote of a config file: the values of secret fields and anything shaped
 * like a credential (GitHub, GitLab and Slack tokens, `Bearer`/`Basic` values, AWS keys, JWTs, URL
 * passwords) become `***`. A file holding a literal token, or a file that is not a config at all,
 * is then quoted without the secret; the caret keeps pointing at the same place (see `column`).
 * Pure; `${ENV_VAR}` references are kept, they are names and help to read the error.
 */
import type { ConfigIssue } from "./types.js";

const MASK = "***";

/** Credential-shaped literals; the group `secret` (or the whole match) is what is masked. */
const CREDENTIALS: readonly RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bgl(?:pat|dt|rt|ptt|cbt|imt|oas|soat|ft)-[A-Za-z0-9_-]{10,}/g,
  /\bxox[abposre]-[A-Za-z0-9-]{10,}/g,
  /\bxapp-[A-Za-z0-9-]{10,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  /\b(?:bearer|basic)\s+(?<secret>[A-Za-z0-9._~+/=-]{8,})/gi,
  /[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:(?<secret>[^\s/@]+)@/gi,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----(?<secret>.*)/g,
];

/** A key whose value is a secret, at the start of a YAML (or `key = value`) line. */
const SECRET_FIELD =
  /^(\s*(?:-\s+)?["']?[A-Za-z0-9_.-]*(?:secret|token|password|passwd|apikey|api_key|api-key|authorization|credential|private_?key)[A-Za-z0-9_.-]*["']?\s*[:=]\s*)(?<secret>\S.*?)\s*$/i;

const REFERENCE = /^["']?\$\{[A-Za-z_][A-Za-z0-9_]*\}["']?$/;

interface Span {
  start: number;
  end: number;
}

/** The spans of `text` to mask, sorted and not overlapping. */
function spansIn(text: string, fields: boolean): Span[] {
  const spans: Span[] = [];
  const add = (start: number, end: number) => {
    if (end > start) spans.push({ start, end });
  };
  for (const pattern of CREDENTIALS) {
    for (const match of text.matchAll(pattern)) {
      const secret = match.groups?.secret;
      if (secret === undefined) add(match.index, match.index + match[0].length);
      else {
        const start = match.index + match[0].lastIndexOf(secret);
        add(start, start + secret.length);
      }
    }
  }
  if (fields) {
    const field = SECRET_FIELD.exec(text);
    const value = field?.groups?.secret;
    // Block scalars and flow collections (`hostAuthenticationTokens: []`) hold no value on this line.
    if (field && value && !REFERENCE.test(value) && !/^[|>[{]/.test(value)) {
      const start = (field[1] ?? "").length;
      add(start, start + value.length);
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

function masked(text: string, spans: readonly Span[]): string {
  let out = "";
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + MASK;
    at = span.end;
  }
  return out + text.slice(at);
}

/**
 * One line of a config file as an error may show it, and where a 1-based column of the original
 * line is in the masked one (a column inside a masked value goes to its `***`).
 */
export function maskSourceLine(line: string): { text: string; column: (column: number) => number } {
  const spans = spansIn(line, true);
  return {
    text: masked(line, spans),
    column(column) {
      let shift = 0;
      for (const span of spans) {
        if (column - 1 >= span.end) shift += span.end - span.start - MASK.length;
        else if (column - 1 >= span.start) return span.start + 1 - shift;
      }
      return column - shift;
    },
  };
}

/** A message (which may quote the file) with credential-shaped literals masked. */
function maskCredentials(message: string): string {
  return masked(message, spansIn(message, false));
}

/**
 * An issue whose message may quote the file, with credential-shaped literals masked, in its path
 * too (a token pasted as a key is part of the path).
 */
export function maskedIssue(issue: ConfigIssue): ConfigIssue {
  const message = maskCredentials(issue.message);
  const path = maskCredentials(issue.path);
  return message === issue.message && path === issue.path ? issue : { ...issue, message, path };
}
