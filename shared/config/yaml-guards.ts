/**
 * What the YAML library alone reports badly or not at all: an unclosed quote or bracket (reported
 * where the parser gave up, often the end of the file, instead of where it was opened), alias
 * expansion bombs ("billion laughs", a bare "Excessive alias count") and `__proto__` keys (which
 * plain objects silently drop). Each becomes an issue at the line a person has to fix.
 */
import {
  type Document,
  isAlias,
  isCollection,
  isPair,
  isScalar,
  type LineCounter,
  type Node,
  visit,
  type YAMLError,
} from "yaml";
import type { ConfigIssue } from "./types.js";

/** Keys a plain JavaScript object cannot hold as data. */
const FORBIDDEN_KEYS = new Set(["__proto__"]);

/** The message and position for one YAML syntax error, moved to where an unclosed construct starts. */
export function syntaxIssue(
  file: string,
  doc: Document,
  lineCounter: LineCounter,
  error: YAMLError,
): ConfigIssue {
  const gaveUp = lineCounter.linePos(error.pos[0]);
  const message = error.code === "DUPLICATE_KEY" ? "duplicate key" : firstLine(error.message);
  const opened = unclosedStart(doc, error);
  if (opened) {
    const start = lineCounter.linePos(opened.offset);
    const where = gaveUp.line === start.line ? "" : ` (the parser gave up at line ${gaveUp.line})`;
    return {
      file,
      line: start.line,
      column: start.col,
      path: "",
      message: `YAML: the ${opened.what} opened here is never closed${where}`,
    };
  }
  return { file, line: gaveUp.line, column: gaveUp.col, path: "", message: `YAML: ${message}` };
}

/** The opening offset of the quoted scalar or flow collection an error is about, if any. */
function unclosedStart(doc: Document, error: YAMLError): { offset: number; what: string } | undefined {
  const text = error.message;
  const quote = /Missing closing (["'])quote/.exec(text);
  const flow = /Flow (sequence|mapping)|Expected flow|must end with a [\]}]/.test(text);
  if (!quote && !flow) return undefined;
  const best: { found?: { offset: number; what: string } } = {};
  visit(doc, (_key, node) => {
    const found = best.found;
    const range = (node as Node | null)?.range;
    if (!range) return;
    const start = range[0];
    if (start > error.pos[0]) return;
    if (quote && isScalar(node)) {
      const wanted = quote[1] === '"' ? "QUOTE_DOUBLE" : "QUOTE_SINGLE";
      if (node.type === wanted && (!found || start > found.offset)) {
        best.found = { offset: start, what: quote[1] === '"' ? "double quote" : "single quote" };
      }
    } else if (flow && isCollection(node) && node.flow && (!found || start > found.offset)) {
      best.found = { offset: start, what: "flow collection ([ or {)" };
    }
  });
  return best.found;
}

/** Every `__proto__` key, wherever it is, as an "unknown key" issue at its line. */
export function forbiddenKeyIssues(file: string, doc: Document, lineCounter: LineCounter): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  visit(doc, {
    Pair(_key, pair) {
      if (!isPair(pair) || !isScalar(pair.key) || !FORBIDDEN_KEYS.has(String(pair.key.value))) return;
      const { line, col } = lineCounter.linePos(pair.key.range?.[0] ?? 0);
      issues.push({ file, line, column: col, path: "", message: `unknown key "${String(pair.key.value)}"` });
    },
  });
  return issues;
}

/**
 * The document as plain data, or an issue when aliases expand to too many nodes: the library
 * refuses past its limit with a bare message; this names the file and the first alias.
 */
export function toPlainData(
  file: string,
  doc: Document,
  lineCounter: LineCounter,
): { ok: true; value: unknown } | { ok: false; issue: ConfigIssue } {
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) ?? {} };
  } catch (error) {
    let first: Node | undefined;
    visit(doc, {
      Alias(_key, node) {
        if (isAlias(node) && !first) first = node;
      },
    });
    const { line, col } = lineCounter.linePos(first?.range?.[0] ?? 0);
    const reason = error instanceof Error ? firstLine(error.message) : String(error);
    return {
      ok: false,
      issue: {
        file,
        line,
        column: col,
        path: "",
        message: `YAML: aliases expand to too many nodes (a "billion laughs" pattern; ${reason}); first alias here`,
      },
    };
  }
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
