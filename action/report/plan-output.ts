/**
 * The plan as step outputs. The whole plan is always written to a JSON file in RUNNER_TEMP (output
 * `plan-file`, for actions/upload-artifact); the `plan` output carries it only while it fits in the
 * job's 1 MB of outputs.
 */

import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as core from "@actions/core";
import type { Plan } from "../../shared/sync/plan-types.js";
import type { SavedPlan } from "../../shared/sync/saved-plan.js";
import { logInfo } from "../log.js";
import { PLAN_OUTPUT_MAX_BYTES } from "./limits.js";

/** One file per config input, so two steps of one job with different configs do not overwrite each other. */
function planFilePath(config: string, env: Record<string, string | undefined>, prefix = "plan"): string {
  const readable = config.replace(/[^A-Za-z0-9._-]+/g, "_").slice(-60);
  const hash = createHash("sha256").update(config).digest("hex").slice(0, 8);
  return join(env.RUNNER_TEMP || tmpdir(), "gitpod-runner-config", `${prefix}-${readable}-${hash}.json`);
}

/**
 * The saved plan (output `saved-plan-file`): what the plan job uploads and the apply job's
 * `plan-file` input applies only if it still holds.
 */
export async function publishSavedPlan(
  saved: SavedPlan,
  config: string,
  env: Record<string, string | undefined>,
): Promise<void> {
  const file = planFilePath(config, env, "saved-plan");
  await mkdir(join(file, ".."), { recursive: true });
  await writeFile(file, `${JSON.stringify(saved, null, 2)}\n`);
  core.setOutput("saved-plan-file", file);
}

export async function publishPlan(
  plan: Plan,
  config: string,
  env: Record<string, string | undefined>,
): Promise<void> {
  const json = JSON.stringify(plan);
  const file = planFilePath(config, env);
  await mkdir(join(file, ".."), { recursive: true });
  await writeFile(file, json);
  core.setOutput("plan-file", file);
  const bytes = Buffer.byteLength(json);
  if (bytes <= PLAN_OUTPUT_MAX_BYTES) {
    core.setOutput("plan", json);
    return;
  }
  logInfo(
    `The plan is ${bytes} bytes, too large for the plan output (limit ${PLAN_OUTPUT_MAX_BYTES}); it is only in the plan-file output: ${file}`,
  );
}
