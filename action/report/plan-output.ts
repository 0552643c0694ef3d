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
import { logInfo } from "../log.js";
import { PLAN_OUTPUT_MAX_BYTES } from "./limits.js";

/** One file per config input, so two steps of one job with different configs do not overwrite each other. */
function planFilePath(config: string, env: Record<string, string | undefined>): string {
  const readable = config.replace(/[^A-Za-z0-9._-]+/g, "_").slice(-60);
  const hash = createHash("sha256").update(config).digest("hex").slice(0, 8);
  return join(env.RUNNER_TEMP || tmpdir(), "gitpod-runner-config", `plan-${readable}-${hash}.json`);
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
