/**
 * Runs the built action (dist/index.js) as the GitHub runner does: a child process on this Node,
 * inputs as INPUT_* variables (hyphens kept, upper-cased), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ACTION_ENTRY = resolve("dist/index.js");
export const CLI_ENTRY = resolve("dist/cli.js");

/** Small client timeouts and retry delays so fault tests stay quick (see "Tuning the API client" in docs/cli.md). */
export const FAST_CLIENT_ENV = {
  GITPOD_CLIENT_TIMEOUT_MS: "1500",
  GITPOD_CLIENT_RETRY_BASE_MS: "10",
  GITPOD_CLIENT_RETRY_MAX_MS: "50",
};

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ActionResult extends ProcessResult {
  outputs: Record<string, string>;
  summary: string;
}

export function runNode(
  entry: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
  /** Sees the child once it runs (to signal it, as a cancelled workflow does). */
  onStart?: (child: ChildProcess) => void,
): Promise<ProcessResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [entry, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    onStart?.(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

/** Parses the GITHUB_OUTPUT file (`name<<delimiter` blocks, as @actions/core writes them). */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const match = lines[i]?.match(/^([^<]+)<<(.+)$/);
    if (!match?.[1] || !match[2]) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i] ?? "");
    outputs[match[1]] = value.join("\n");
  }
  return outputs;
}

/** A workspace directory with the config file at .gitpod/runner-config.yaml. */
export async function makeWorkspace(config: string | Uint8Array): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "runner-config-action-"));
  await mkdir(join(dir, ".gitpod"));
  await writeFile(join(dir, ".gitpod", "runner-config.yaml"), config);
  return dir;
}

export async function removeWorkspace(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export async function runAction(options: {
  workspace: string;
  inputs: Record<string, string>;
  env?: Record<string, string>;
  onStart?: (child: ChildProcess) => void;
}): Promise<ActionResult> {
  const outputFile = join(options.workspace, `output-${Date.now()}-${Math.random()}`);
  const summaryFile = join(options.workspace, `summary-${Date.now()}-${Math.random()}`);
  await writeFile(outputFile, "");
  await writeFile(summaryFile, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: options.workspace,
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs)) {
    env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
  }
  const result = await runNode(ACTION_ENTRY, [], env, options.workspace, options.onStart);
  return {
    ...result,
    outputs: parseOutputs(await readFile(outputFile, "utf8")),
    summary: await readFile(summaryFile, "utf8"),
  };
}
