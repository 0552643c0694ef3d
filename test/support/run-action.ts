/**
 * The one way the suites run the product as a process: the bundled action (dist/index.js) as the
 * GitHub runner runs it (a child process on this Node, inputs as INPUT_* variables with hyphens kept
 * and upper-cased, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files), and the CLI (dist/cli.js) as a
 * person runs it. How to use it: /work/notes/s9-tests-harness.md and the comments below.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expectSavedPlanMatchesSchema } from "./plan-schema.js";

export const ACTION_ENTRY = resolve("dist/index.js");
export const CLI_ENTRY = resolve("dist/cli.js");
/** Where makeWorkspace puts the config file, relative to the workspace (the action's default). */
export const WORKSPACE_CONFIG = ".gitpod/runner-config.yaml";

/** Small client timeouts and retry delays so fault tests stay quick (see "Tuning the API client" in docs/cli.md). */
export const FAST_CLIENT_ENV = {
  GITPOD_CLIENT_TIMEOUT_MS: "1500",
  GITPOD_CLIENT_RETRY_BASE_MS: "10",
  GITPOD_CLIENT_RETRY_MAX_MS: "50",
};

/** The Gitpod API a run talks to; an Emulator fits as it is. */
interface ApiEndpoint {
  url: string;
  token: string;
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ActionResult extends ProcessResult {
  outputs: Record<string, string>;
  summary: string;
  /** Everything the run left behind (log, errors, outputs as name=value, summary), to search for leaked secrets. */
  everything: string;
}

function runNode(
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
function parseOutputs(text: string): Record<string, string> {
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

/** A workspace directory with the config file at WORKSPACE_CONFIG. */
export async function makeWorkspace(config: string | Uint8Array): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "runner-config-action-"));
  await mkdir(join(dir, ".gitpod"));
  await writeFile(join(dir, WORKSPACE_CONFIG), config);
  return dir;
}

export async function removeWorkspace(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/**
 * The variables of a run on a pull_request event: the event file (written into the workspace as
 * event.json), the repository and the GitHub API to talk to (a FakeGitHub's url).
 */
async function pullRequestEnv(
  workspace: string,
  github: { url: string },
  pullRequest: Record<string, unknown>,
  repository = "acme/platform",
): Promise<Record<string, string>> {
  const eventPath = join(workspace, "event.json");
  await writeFile(eventPath, JSON.stringify({ pull_request: pullRequest }));
  return { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: repository, GITHUB_EVENT_PATH: eventPath };
}

export interface ActionRunOptions {
  /** Inputs by their action.yml names ("api-token", "comment-on-pr"). */
  inputs: Record<string, string>;
  /** Adds the "api-url" and "api-token" inputs (inputs given explicitly win). */
  api?: ApiEndpoint;
  /** More environment; the runner's own variables can be overridden here (GITHUB_STEP_SUMMARY: ""). */
  env?: Record<string, string>;
  onStart?: (child: ChildProcess) => void;
}

interface PullRequestRunOptions extends ActionRunOptions {
  workspace: string;
  /** The GitHub API the action talks to (a FakeGitHub). */
  github: { url: string };
  /** The event's pull_request object, e.g. { number: 42 }. */
  pullRequest: Record<string, unknown>;
  repository?: string;
}

/**
 * Runs the action in `workspace` on a pull_request event (pullRequestEnv's variables), with
 * FAST_CLIENT_ENV; `env` is applied last.
 */
export async function runOnPullRequest(options: PullRequestRunOptions): Promise<ActionResult> {
  const { github, pullRequest, repository, ...run } = options;
  const eventEnv = await pullRequestEnv(run.workspace, github, pullRequest, repository);
  return runAction({ ...run, env: { ...FAST_CLIENT_ENV, ...eventEnv, ...run.env } });
}

/**
 * Runs the action in `workspace` (see makeWorkspace), or, given `configYaml` instead, in a fresh
 * workspace holding it that is removed after the run.
 */
export async function runAction(
  options: ActionRunOptions & ({ workspace: string } | { configYaml: string | Uint8Array }),
): Promise<ActionResult> {
  if (!("workspace" in options)) {
    const workspace = await makeWorkspace(options.configYaml);
    try {
      return await runActionIn(workspace, options);
    } finally {
      await removeWorkspace(workspace);
    }
  }
  return runActionIn(options.workspace, options);
}

async function runActionIn(workspace: string, options: ActionRunOptions): Promise<ActionResult> {
  const outputFile = join(workspace, `output-${Date.now()}-${Math.random()}`);
  const summaryFile = join(workspace, `summary-${Date.now()}-${Math.random()}`);
  await writeFile(outputFile, "");
  await writeFile(summaryFile, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: workspace,
    ...options.env,
  };
  const inputs = options.api
    ? { "api-token": options.api.token, "api-url": options.api.url, ...options.inputs }
    : options.inputs;
  for (const [name, value] of Object.entries(inputs)) {
    env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
  }
  const result = await runNode(ACTION_ENTRY, [], env, workspace, options.onStart);
  const outputs = parseOutputs(await readFile(outputFile, "utf8"));
  // Every plan the action saves (for the apply job) is checked against the published plan schema.
  const savedPlan = outputs["saved-plan-file"];
  if (savedPlan) await expectSavedPlanMatchesSchema(resolve(workspace, savedPlan));
  const summary = await readFile(summaryFile, "utf8");
  const outputsText = Object.entries(outputs)
    .map(([name, value]) => `${name}=${value}`)
    .join("\n");
  return {
    ...result,
    outputs,
    summary,
    everything: [result.stdout, result.stderr, outputsText, summary].join("\n"),
  };
}

/**
 * Runs the CLI (dist/cli.js) with `args` in `cwd` (default: the repository), with nothing of this
 * process's environment but PATH.
 */
export function runCli(
  args: string[],
  options: {
    cwd?: string;
    /** Sets GITPOD_API_KEY, and GITPOD_BASE_URL when a url is given (else pass --api-url). */
    api?: { token: string; url?: string };
    /** FAST_CLIENT_ENV unless false: the client's own timeouts, for tests that time nothing. */
    fastClient?: boolean;
    /** Applied last: an empty GITPOD_API_KEY here unsets the token. */
    env?: Record<string, string>;
  } = {},
): Promise<ProcessResult> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    ...(options.api && { GITPOD_API_KEY: options.api.token }),
    ...(options.api?.url !== undefined && { GITPOD_BASE_URL: options.api.url }),
    ...(options.fastClient !== false && FAST_CLIENT_ENV),
    ...options.env,
  };
  const cwd = options.cwd ?? process.cwd();
  return runNode(CLI_ENTRY, args, env, cwd).then(async (result) => {
    // Every plan a test saves is checked against the published plan schema.
    const out = savedPlanPath(args);
    if (out !== undefined && result.code === 0) await expectSavedPlanMatchesSchema(resolve(cwd, out));
    return result;
  });
}

/** The file `plan --out FILE` (or `--out=FILE`) saves the plan to, if these arguments save one. */
function savedPlanPath(args: readonly string[]): string | undefined {
  if (args[0] !== "plan") return undefined;
  const index = args.findIndex((arg) => arg === "--out" || arg.startsWith("--out="));
  if (index < 0) return undefined;
  const arg = args[index] ?? "";
  return arg.startsWith("--out=") ? arg.slice("--out=".length) : args[index + 1];
}
