/**
 * Secret redaction. Secrets reach this code in request bodies (OAuth client secrets, host tokens,
 * LLM API keys and literal LLM request-header values) and in the bearer token; none of them may
 * leave it in an error message or a log line, even when a server echoes one back.
 */
import { REDACTED, scrub } from "../text/scrub.js";
import { CEL_EXPRESSION_HEADER } from "./resources/llm-integrations.wire.js";
import { SECRET_FIELDS, SECRET_HEADER_LISTS } from "./rpcs.js";

export { REDACTED, scrub };

const secretFieldNames = new Set<string>([...SECRET_FIELDS, "authorization", "bearerToken"]);
const secretHeaderLists = new Set<string>(SECRET_HEADER_LISTS);

/** A request header whose value is a secret: any type but a CEL expression (unspecified is literal). */
function isLiteralHeader(header: unknown): header is { value: string } {
  if (header === null || typeof header !== "object") return false;
  const { value, headerType } = header as Record<string, unknown>;
  return typeof value === "string" && headerType !== CEL_EXPRESSION_HEADER;
}

/** The value as given and as it travels (protojson bytes: base64), so an echo of either is caught. */
function headerValueForms(value: string): string[] {
  return [value, Buffer.from(value, "utf8").toString("base64")].filter((form) => form.length > 0);
}

/** Deep copy of a JSON-like value with every secret field's value replaced. */
export function redactFields(value: unknown): unknown {
  return redactDeep(value, []);
}

/** Collects the secret string values of a request body, to scrub them from server messages. */
export function secretValuesOf(body: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(body)) {
    for (const item of body) secretValuesOf(item, into);
  } else if (body !== null && typeof body === "object") {
    for (const [key, inner] of Object.entries(body)) {
      // A page token is named `token` too, but it is the server's cursor, not a secret.
      if (key === "pagination") continue;
      if (secretFieldNames.has(key) && typeof inner === "string" && inner.length > 0) into.add(inner);
      else if (secretHeaderLists.has(key) && Array.isArray(inner)) {
        for (const header of inner) {
          if (isLiteralHeader(header)) for (const form of headerValueForms(header.value)) into.add(form);
        }
      } else secretValuesOf(inner, into);
    }
  }
  return into;
}

/** Deep copy with every secret field's value replaced and every other string scrubbed of `secrets`. */
export function redactDeep(value: unknown, secrets: Iterable<string>): unknown {
  const list = [...secrets];
  return copyScrubbed(value, list, (key, field) => {
    if (secretFieldNames.has(key) && typeof field === "string") return REDACTED;
    if (secretHeaderLists.has(key) && Array.isArray(field)) {
      return field.map((header) =>
        isLiteralHeader(header)
          ? { ...(copyScrubbed(header, list, () => undefined) as object), value: REDACTED }
          : copyScrubbed(header, list, () => undefined),
      );
    }
    return undefined;
  });
}

/**
 * A decoded JSON answer with every string scrubbed of `secrets`. The raw text is checked first so the
 * common case (no escapes, no secret) costs one scan: an escape can spell a secret the raw text hides.
 */
export function scrubDecoded(raw: string, value: unknown, secrets: Iterable<string>): unknown {
  const list = [...secrets].filter((secret) => secret.length >= 4);
  if (!raw.includes("\\") && !list.some((secret) => raw.includes(secret))) return value;
  return copyScrubbed(value, list, () => undefined);
}

/**
 * The one deep copy both share: every string scrubbed of `secrets`, unless `replace` gives a field
 * another value. Fields are defined, not assigned, so a "__proto__" key stays a plain field.
 */
function copyScrubbed(
  value: unknown,
  secrets: readonly string[],
  replace: (key: string, field: unknown) => unknown,
): unknown {
  const walk = (inner: unknown): unknown => {
    if (typeof inner === "string") return scrub(inner, secrets);
    if (Array.isArray(inner)) return inner.map(walk);
    if (inner !== null && typeof inner === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(inner)) {
        Object.defineProperty(out, key, {
          value: replace(key, field) ?? walk(field),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return inner;
  };
  return walk(value);
}
