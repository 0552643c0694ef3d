/** `npm run bench:readme`: renders bench/README.md's figures from bench/results.json. */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderResultsSection, spliceResults } from "./lib/readme.js";
import type { BenchReport } from "./lib/report.js";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const report = JSON.parse(readFileSync(join(BENCH_DIR, "results.json"), "utf8")) as BenchReport;
const readmePath = join(BENCH_DIR, "README.md");
writeFileSync(readmePath, spliceResults(readFileSync(readmePath, "utf8"), renderResultsSection(report)));
process.stderr.write("bench: rendered bench/README.md from bench/results.json\n");
