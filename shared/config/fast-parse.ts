/**
 * A fast way to read a clean runner-config file into plain data: js-yaml builds plain objects
 * straight from the parser's events, about 6x faster than the positioned `yaml` Document and with a
 * fraction of its garbage. It only takes files the careful path would read the same way: any
 * anchor, alias, tag, `__proto__` key, syntax error or duplicate key sends the file to the careful
 * path (load.ts), which reports every problem at its line. Both resolve scalars with the YAML 1.2
 * core schema (no merge keys), so a file reads to the same data on either path.
 */
import { CORE_SCHEMA, load } from "js-yaml";

/** Characters that may start an anchor, alias or tag, or a merge key: the careful path handles those. */
const NOT_PLAIN = /(?:^|[\s[{,:-])[&*!]|<<|__proto__/;

/** The file as plain data, or undefined when the careful path must read it. */
export function fastPlainData(text: string): { value: unknown } | undefined {
  if (NOT_PLAIN.test(text)) return undefined;
  try {
    const value = load(text, { schema: CORE_SCHEMA, maxAliases: 0, json: false });
    return { value: value ?? {} };
  } catch {
    return undefined;
  }
}
