/**
 * Lines and columns of a runner-config file, worked out only when something asks for one. The
 * positioned YAML Document costs most of a load (for 10,000 objects about 0.9 s of CPU and 180 MB),
 * and a clean file never needs it: issues and line annotations do, and then it is parsed once.
 */
import { type Document, LineCounter, parseDocument } from "yaml";
import { locate, type PathPart, type Position } from "./locate.js";

export class LazyPositions {
  readonly #text: string;
  #parsed: { doc: Document; lineCounter: LineCounter } | undefined;

  constructor(text: string) {
    this.#text = text;
  }

  /** The positioned Document (parsed on first use, then kept). */
  document(): { doc: Document; lineCounter: LineCounter } {
    if (!this.#parsed) {
      const lineCounter = new LineCounter();
      const doc = parseDocument(this.#text, { lineCounter, prettyErrors: false, uniqueKeys: true });
      this.#parsed = { doc, lineCounter };
    }
    return this.#parsed;
  }

  get parsed(): boolean {
    return this.#parsed !== undefined;
  }

  locate(path: readonly PathPart[], options: { key?: boolean } = {}): Position {
    const { doc, lineCounter } = this.document();
    return locate(doc, lineCounter, path, options);
  }

  lineOf(path: readonly PathPart[]): number {
    return this.locate(path).line;
  }
}

/**
 * Defines `line` (and, with `fields`, `lines` and `columns`) on an object as getters that ask `positions` when
 * first read, then keep the answer. They stay enumerable, so JSON output still carries them.
 */
export function lazyLines<T extends object>(
  target: T,
  positions: LazyPositions,
  path: readonly PathPart[],
  fields?: () => Array<{ name: string; path: readonly PathPart[] }>,
): T {
  let line: number | undefined;
  Object.defineProperty(target, "line", {
    enumerable: true,
    configurable: true,
    get: () => {
      line ??= positions.lineOf(path);
      return line;
    },
  });
  if (fields) {
    // Lines and columns come from one walk, when either is first read.
    let located: { lines: Record<string, number>; columns: Record<string, number> } | undefined;
    const locateFields = () => {
      if (!located) {
        const lines: Record<string, number> = {};
        const columns: Record<string, number> = {};
        for (const field of fields()) {
          const position = positions.locate(field.path);
          lines[field.name] = position.line;
          columns[field.name] = position.column;
        }
        located = { lines, columns };
      }
      return located;
    };
    for (const name of ["lines", "columns"] as const) {
      Object.defineProperty(target, name, {
        enumerable: true,
        configurable: true,
        get: () => locateFields()[name],
      });
    }
  }
  return target;
}

/** Where withLineOf keeps an operation's file item: a symbol, so no JSON or key listing shows it. */
const LINE_SOURCE = Symbol("lineSource");

/** One getter for every operation: the same accessor keeps V8's fast object shape for each of them. */
function lineOfSource(this: { [LINE_SOURCE]: { readonly line: number } }): number {
  return this[LINE_SOURCE].line;
}

/**
 * Gives an operation the `line` of the file item it comes from, read only when asked for. The getter
 * is shared (a closure per operation turned every operation into a dictionary-mode object of ~650
 * bytes, which at 50,000 objects made the diff's garbage collection grow faster than the plan).
 */
export function withLineOf<T extends object>(operation: T, item: { readonly line: number }): T {
  Object.defineProperty(operation, LINE_SOURCE, { value: item, configurable: true });
  Object.defineProperty(operation, "line", { enumerable: true, configurable: true, get: lineOfSource });
  return operation;
}
