/**
 * `npm run bench`: the scenarios at the sizes of bench/lib/config.ts (environment variables, the
 * issue's values by default) in one run; prints one table with PASS/MISS for every target and
 * writes bench/results.json and bench/scale.svg. `npm run bench:readme` then renders bench/README.md's
 * figures from results.json.
 */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { benchConfig } from "./lib/config.js";
import { runSuite } from "./suite.js";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

try {
  const result = await runSuite(benchConfig(), BENCH_DIR, (message) =>
    process.stderr.write(`bench: ${new Date().toISOString().slice(11, 19)} ${message}\n`),
  );
  process.stdout.write(`${result.text}\n`);
  process.stderr.write("bench: wrote bench/results.json and bench/scale.svg\n");
} catch (error) {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
}
