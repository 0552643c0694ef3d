/** Maps a path in the parsed YAML back to its line and column. */
import { type Document, isNode, isPair, isScalar, type LineCounter } from "yaml";

export type PathPart = string | number;

export interface Position {
  line: number;
  column: number;
}

export function formatPath(path: readonly PathPart[]): string {
  return path.reduce<string>(
    (acc, part) => (typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part),
    "",
  );
}

/**
 * Position of the value at `path`; for a key that is missing, the closest existing parent. With
 * `key: true` the position of the key itself (better for "unknown key" errors).
 */
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PathPart[],
  options: { key?: boolean } = {},
): Position {
  for (let length = path.length; length >= 0; length--) {
    const prefix = path.slice(0, length);
    const offset = options.key && length === path.length ? keyOffset(doc, prefix) : valueOffset(doc, prefix);
    if (offset !== undefined) {
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col };
    }
  }
  return { line: 1, column: 1 };
}

function valueOffset(doc: Document, path: readonly PathPart[]): number | undefined {
  const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
  return isNode(node) && node.range ? node.range[0] : undefined;
}

function keyOffset(doc: Document, path: readonly PathPart[]): number | undefined {
  const parent = path.length <= 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (!parent || typeof parent !== "object" || !("items" in parent) || !Array.isArray(parent.items))
    return undefined;
  for (const item of parent.items) {
    if (isPair(item) && isScalar(item.key) && item.key.value === last && item.key.range)
      return item.key.range[0];
  }
  return undefined;
}
