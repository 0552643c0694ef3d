/**
 * The fastest an apply could possibly be against an API with a fixed round-trip latency, given the
 * requests it must make and a concurrency limit. Pure arithmetic, so the table can show its formula.
 *
 * Reads: the schema and the first list page of every runner are independent, so they go out in
 * waves of `concurrency`; a list with several pages adds serial round trips (each page needs the
 * previous page's token). Validations must all finish before the first write (nothing is written
 * when any item is invalid), so they form their own waves (as wide as the engine runs them), then
 * the writes.
 */
export interface LowerBoundInput {
  /** Read requests the apply must make (schema + list pages). */
  readRequests: number;
  /** Longest chain of dependent reads (pages of one list, plus the first read). */
  readChainDepth: number;
  /** Server-side validations (one per created or changed item). */
  validations: number;
  writes: number;
  concurrency: number;
  /** How many reads go out at once (the connection pool); default `concurrency`. */
  readConcurrency?: number;
  /** How many validations the engine runs at once (wider than writes: they change nothing). */
  validationConcurrency?: number;
  latencyMs: number;
}

export interface LowerBound {
  readRoundTrips: number;
  validationRoundTrips: number;
  writeRoundTrips: number;
  /** The formula: reads + ceil(writes / concurrency) round trips (no validations). */
  withoutValidationsMs: number;
  /** Reads + ceil(validations / validation width) + ceil(writes / concurrency) round trips. */
  withValidationsMs: number;
  /** Both formulas with the numbers filled in, for the table. */
  withoutValidationsFormula: string;
  withValidationsFormula: string;
}

export function lowerBound(input: LowerBoundInput): LowerBound {
  const { concurrency, latencyMs } = input;
  if (concurrency < 1) throw new Error("concurrency must be at least 1");
  const readWidth = input.readConcurrency ?? concurrency;
  const readRoundTrips = Math.max(input.readChainDepth, Math.ceil(input.readRequests / readWidth));
  const validationWidth = input.validationConcurrency ?? concurrency;
  const validationRoundTrips = Math.ceil(input.validations / validationWidth);
  const writeRoundTrips = Math.ceil(input.writes / concurrency);
  const reads = `ceil(${input.readRequests}/${readWidth})=${readRoundTrips}`;
  const writes = `ceil(${input.writes}/${concurrency})=${writeRoundTrips}`;
  const validations = `ceil(${input.validations}/${validationWidth})=${validationRoundTrips}`;
  return {
    readRoundTrips,
    validationRoundTrips,
    writeRoundTrips,
    withoutValidationsMs: (readRoundTrips + writeRoundTrips) * latencyMs,
    withValidationsMs: (readRoundTrips + validationRoundTrips + writeRoundTrips) * latencyMs,
    withoutValidationsFormula: `(${reads} + ${writes}) x ${latencyMs} ms`,
    withValidationsFormula: `(${reads} + ${validations} + ${writes}) x ${latencyMs} ms`,
  };
}
