/**
 * `npm run bench`: the scenarios at the sizes of bench/lib/config.ts (environment variables, the
 * issue's values by default) in one run; prints one table with PASS/MISS for every target and
 * writes bench/results.json and bench/scale.svg; a full run (no BENCH_ONLY) also renders the figures
 * of bench/README.md from the same report (`npm run bench:readme` re-renders them from results.json).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchConfig } from "./lib/config.js";
import { renderResultsSection, spliceResults } from "./lib/readme.js";
import { runSuite } from "./suite.js";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

try {
  const result = await runSuite(benchConfig(), BENCH_DIR, (message) =>
    process.stderr.write(`bench: ${new Date().toISOString().slice(11, 19)} ${message}\n`),
  );
  process.stdout.write(`${result.text}\n`);
  process.stderr.write("bench: wrote bench/results.json and bench/scale.svg\n");
  if (!process.env.BENCH_ONLY) {
    // A full run: bring bench/README.md's figures up to date (a partial run leaves them alone).
    const readme = join(BENCH_DIR, "README.md");
    writeFileSync(readme, spliceResults(readFileSync(readme, "utf8"), renderResultsSection(result.report)));
    process.stderr.write("bench: rendered the figures of bench/README.md\n");
  }
} catch (error) {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
}
