/**
 * The GitHub Action's run(): reads the inputs, builds the API client, and hands off to the mode. Any
 * unexpected error fails the step with a secret-free message. action/index.ts calls it (the
 * actions/typescript-action layout), so `npx @github/local-action . action/main.ts .env.example` can
 * run it locally too.
 */
import * as core from "@actions/core";
import { type Cancellation, listenForCancellation } from "./cancellation.js";
import { clientFor } from "./client.js";
import { InputError, readInputs } from "./inputs.js";
import { runHealthCheckMode } from "./modes/health-check.js";
import { runRotateMode } from "./modes/rotate.js";
import { readScheduledInputs } from "./modes/scheduled-inputs.js";
import { runValidateMode } from "./modes/validate.js";
import { runSyncMode } from "./sync-mode.js";

export async function run(): Promise<void> {
  let inputs: ReturnType<typeof readInputs>;
  try {
    inputs = readInputs();
  } catch (error) {
    core.setFailed(error instanceof InputError ? error.message : String(error));
    return;
  }
  if (inputs.mode === "validate" && !inputs.apiToken) {
    // Offline: no client, no network.
    await runValidateMode(inputs, undefined, process.env).catch((error: unknown) =>
      core.setFailed(error instanceof Error ? error.message : String(error)),
    );
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
    core.setFailed(error instanceof Error ? error.message : String(error));
    return;
  }
  // Apply and rotate write; the other modes only read and keep Node's default (stop at once on a signal).
  const cancellation: Cancellation | undefined =
    inputs.mode === "apply" || inputs.mode === "rotate" ? listenForCancellation() : undefined;
  try {
    // Read before any API call so a bad Slack or schedule input fails the step up front.
    const scheduled = readScheduledInputs(process.env);
    switch (inputs.mode) {
      case "plan":
      case "apply":
        await runSyncMode({ ...inputs, mode: inputs.mode }, client, process.env, scheduled, cancellation);
        if (cancellation?.stopWrites.aborted)
          core.setFailed("The run was cancelled; see the summary for what was done.");
        break;
      case "validate":
        await runValidateMode(inputs, client, process.env);
        break;
      case "rotate":
        await runRotateMode(inputs, scheduled, client, process.env, cancellation);
        if (cancellation?.stopWrites.aborted)
          core.setFailed("The run was cancelled; see the summary for what was done.");
        break;
      case "audit":
        await runHealthCheckMode(inputs, scheduled, client, process.env);
        break;
    }
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
    // Where it went wrong, for a re-run with debug logging (source-mapped to action/ and shared/).
    if (error instanceof Error && error.stack) core.debug(error.stack);
  } finally {
    cancellation?.dispose();
    // Abandoned writes may still be in flight: closing the pool would wait for them.
    if (cancellation?.abandon.aborted) process.exit(process.exitCode ?? 1);
    await client.close();
  }
}
