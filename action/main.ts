/**
 * The GitHub Action's run(): reads the inputs, builds the API client, and hands off to the mode. Any
 * unexpected error fails the step with a secret-free message. action/index.ts calls it (the
 * actions/typescript-action layout), so `npx @github/local-action . action/main.ts .env.example` can
 * run it locally too.
 */
import { stat } from "node:fs/promises";
import * as core from "@actions/core";
import { markdownText } from "../shared/markdown/escape.js";
import { listenForCancellation } from "./cancellation.js";
import { clientFor } from "./client.js";
import { type ActionInputs, InputError, readInputs } from "./inputs.js";
import { readModeInputs } from "./modes/mode-inputs.js";
import { ACTION_MODES } from "./modes/table.js";
import { writeJobSummary } from "./report/job-summary.js";

/** The message the run failed with here (a mode that fails by itself says why in its own summary or log). */
let failure: string | undefined;

function fail(message: string): void {
  failure = message;
  core.setFailed(message);
}

export async function run(): Promise<void> {
  await runMode();
  await summarizeFailure(process.env);
}

/**
 * A failed step whose summary is still empty (a rejected token, a missing file, a bad input) gets
 * one that says it failed and why, so the run page is never blank. Messages hold no secret.
 */
async function summarizeFailure(env: Record<string, string | undefined>): Promise<void> {
  if (process.exitCode !== core.ExitCode.Failure || !env.GITHUB_STEP_SUMMARY) return;
  const written = await stat(env.GITHUB_STEP_SUMMARY).then(
    (file) => file.size,
    () => 0,
  );
  if (written > 0) return;
  const why = failure ?? "the reason is in the step's log (its error annotation)";
  await writeJobSummary(`### Gitpod runner configuration: the run failed\n\n${markdownText(why)}\n`, env);
}

async function runMode(): Promise<void> {
  let inputs: ActionInputs;
  let mode: (typeof ACTION_MODES)[number];
  try {
    ({ inputs, mode } = readInputs(ACTION_MODES));
  } catch (error) {
    fail(error instanceof InputError ? error.message : String(error));
    return;
  }
  if (!mode.needsToken && !inputs.apiToken) {
    // Offline: no client, no network.
    await mode
      .run({ inputs, client: undefined, env: process.env })
      .catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
    return;
  }
  let client: ReturnType<typeof clientFor>;
  try {
    client = clientFor(
      inputs.apiToken,
      inputs.apiUrl,
      process.env,
      inputs.concurrency,
      inputs.apiSettingNames,
    );
  } catch (error) {
    // Configuration errors (a proxy variable that is not a URL, a bad tuning knob): no stack, no value.
    fail(error instanceof Error ? error.message : String(error));
    return;
  }
  const cancellation = mode.writes ? listenForCancellation() : undefined;
  try {
    // Read before any API call so a bad Slack or schedule input fails the step up front.
    const modeInputs = readModeInputs(process.env);
    await mode.run({ inputs, client, env: process.env, modeInputs, cancellation });
    if (cancellation?.stopWrites.aborted)
      core.setFailed("The run was cancelled; see the summary for what was done.");
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
    // Where it went wrong, for a re-run with debug logging (source-mapped to action/ and shared/).
    if (error instanceof Error && error.stack) core.debug(error.stack);
  } finally {
    cancellation?.dispose();
    // Abandoned writes may still be in flight: closing the pool would wait for them.
    if (cancellation?.abandon.aborted) process.exit(process.exitCode ?? 1);
    await client.close();
  }
}
