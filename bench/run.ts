/**
 * `npm run bench`: every scenario at full size in one run; prints one table and writes
 * bench/results.json and bench/scale.svg.
 */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { FULL_ACTION_START } from "./scenarios/action-start.js";
import { FULL_BOT_ACK } from "./scenarios/bot-ack.js";
import { FULL_SCALE } from "./scenarios/scale.js";
import { FULL_SYNC } from "./scenarios/sync.js";
import { runSuite } from "./suite.js";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

try {
  const result = await runSuite(
    { sync: FULL_SYNC, scale: FULL_SCALE, actionStart: FULL_ACTION_START, botAck: FULL_BOT_ACK },
    BENCH_DIR,
    (message) => process.stderr.write(`bench: ${message}\n`),
  );
  process.stdout.write(`${result.text}\n`);
  process.stderr.write("bench: wrote bench/results.json and bench/scale.svg\n");
} catch (error) {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
}
