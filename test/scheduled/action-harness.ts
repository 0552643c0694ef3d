/**
 * Runs the bundled action (dist/index.js) as the GitHub runner does: a node process with INPUT_*
 * variables and files at GITHUB_OUTPUT and GITHUB_STEP_SUMMARY. Async, so an emulator and a fake
 * Slack in this process keep answering while it runs.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const BUNDLE = resolve(import.meta.dirname, "../../dist/index.js");

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Everything the run left behind, to search for leaked secrets. */
  everything: string;
}

/** Parse the GITHUB_OUTPUT file (`name<<delimiter` blocks, as @actions/core writes them). */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index += 1) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[index] ?? "");
    if (!match?.[1] || !match[2]) continue;
    const value: string[] = [];
    for (index += 1; index < lines.length && lines[index] !== match[2]; index += 1)
      value.push(lines[index] ?? "");
    outputs[match[1]] = value.join("\n");
  }
  return outputs;
}

export async function runAction(options: {
  inputs: Record<string, string>;
  config: string;
  env?: Record<string, string>;
}): Promise<ActionRun> {
  const dir = await mkdtemp(join(tmpdir(), "scheduled-action-"));
  try {
    const configPath = join(dir, "runner-config.yaml");
    const outputPath = join(dir, "output");
    const summaryPath = join(dir, "summary");
    await writeFile(configPath, options.config);
    await writeFile(outputPath, "");
    await writeFile(summaryPath, "");
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      GITHUB_OUTPUT: outputPath,
      GITHUB_STEP_SUMMARY: summaryPath,
      GITPOD_CLIENT_RETRY_BASE_MS: "5",
      GITPOD_CLIENT_RETRY_MAX_MS: "20",
      INPUT_CONFIG: configPath,
      ...options.env,
    };
    for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
    const child = spawn(process.execPath, [BUNDLE], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const code = await new Promise<number | null>((done) => child.on("close", done));
    const outputsRaw = await readFile(outputPath, "utf8");
    const summary = await readFile(summaryPath, "utf8");
    return {
      code,
      stdout,
      stderr,
      outputs: parseOutputs(outputsRaw),
      summary,
      everything: [stdout, stderr, outputsRaw, summary].join("\n"),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
