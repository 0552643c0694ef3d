/**
 * `npm run demo`: the whole loop on examples/runner-config.yaml against the embedded emulator, with
 * nothing to set up. Plan, apply, then plan again (which finds nothing to do). A tool over the
 * emulator, so it lives here and not in action/, which ships.
 */
import { readFile } from "node:fs/promises";
import { GitpodClient } from "../shared/api/index.js";
import { runSync, type SyncMode } from "../shared/sync/engine.js";
import { formatApplyText, formatIssuesText } from "../shared/sync/format.js";
import { formatPlanText } from "../shared/sync/plan-text.js";
import { GITHUB_OAUTH_SECRET, startEmulator } from "../test/emulator/index.js";

const FILE = "examples/runner-config.yaml";

const emulator = await startEmulator();
const client = new GitpodClient({ baseUrl: emulator.url, apiKey: emulator.token });
// The file references ${OAUTH_SECRET_GITHUB_COM}; the emulator knows this demo OAuth app.
const env = { ...process.env, OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET };
let failed = false;

try {
  const text = await readFile(FILE, "utf8");
  console.log(`Gitpod API emulator at ${emulator.url}; config ${FILE}\n`);
  const steps: Array<[SyncMode, string]> = [
    ["plan", "1. plan: what would change"],
    ["apply", "2. apply: make the changes"],
    ["plan", "3. plan again: nothing left to do"],
  ];
  for (const [mode, title] of steps) {
    emulator.requests.clear();
    console.log(`=== ${title} ===`);
    const result = await runSync(client, {
      file: FILE,
      text,
      env,
      mode,
      concurrency: 8,
      prune: false,
      allowDestructive: false,
      rotateSecrets: false,
    });
    if (result.issues.length > 0) console.log(formatIssuesText(result.issues));
    else if (mode === "apply" && result.apply) console.log(formatApplyText(result.apply));
    else if (result.plan) console.log(formatPlanText(result.plan));
    const writes = emulator.requests.writes().length;
    console.log(`(${emulator.requests.count()} API calls, ${writes} of them writes)\n`);
    if (!result.ok) failed = true;
  }
} finally {
  await client.close();
  await emulator.close();
}
if (failed) process.exitCode = 1;
