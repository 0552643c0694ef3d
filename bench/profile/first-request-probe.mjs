// Preloaded (--import) into the profiled action: writes, as process.hrtime microseconds, when the
// process started, when this preload ran, and when undici created its first request. Reads nothing
// else and changes nothing in the action.
import { subscribe } from "node:diagnostics_channel";
import { writeFileSync } from "node:fs";

const nowMicros = () => Number(process.hrtime.bigint() / 1000n);
const preload = nowMicros();
const processStart = preload - Math.round(performance.now() * 1000);
let done = false;
subscribe("undici:request:create", () => {
  if (done) return;
  done = true;
  writeFileSync(
    process.env.BENCH_PROBE_OUT,
    JSON.stringify({ processStart, preload, firstRequest: nowMicros() }),
  );
});
