/**
 * Keeps V8's young generation at the size it has when the work starts, for the action and CLI
 * processes (their entries call this after loading, before running). A plan or apply is one burst of
 * short-lived objects (the YAML parse, the JSON pages, validation); for it V8 grows the young
 * generation to 64 MB per semi-space, and that slack, not live data, made most of the 10,000-object
 * plan's peak RSS (bench/README.md). V8 reads this flag whenever it would grow the young generation,
 * so setting it at run time works, unlike --max-semi-space-size, which is fixed when the heap is
 * made and which a `runs.using: node24` action cannot pass. Called after the bundle has loaded, so
 * loading it is not slowed by a small young generation.
 */
import { setFlagsFromString } from "node:v8";

export function keepYoungGenerationSmall(): void {
  setFlagsFromString("--semi-space-growth-factor=1");
}
