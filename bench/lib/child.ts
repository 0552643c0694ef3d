/**
 * Child processes of the benchmark. Workers are bundled once with esbuild (dependencies stay in
 * node_modules) and run with this same Node binary, so a child's CPU time and peak RSS measure its
 * own work and not a TypeScript loader's.
 */
import { type ChildProcess, fork } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { ChildMessage, ParentMessage, ProcessStats } from "../workers/protocol.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** Inside node_modules so the bundles resolve their external packages from the project's node_modules. */
const OUT_DIR = join(REPO, "node_modules", ".cache", "runner-config-bench");

export type WorkerName = "backend" | "bot-server" | "scale-point" | "plan-profile" | "policy-cost";

const built = new Map<WorkerName, Promise<string>>();

/** Bundles one worker (once per process) and returns the path of the bundle. */
export function buildWorker(name: WorkerName): Promise<string> {
  let file = built.get(name);
  if (!file) {
    file = (async () => {
      mkdirSync(OUT_DIR, { recursive: true });
      const outfile = join(OUT_DIR, `${name}.mjs`);
      await build({
        entryPoints: [join(REPO, "bench", "workers", `${name}.ts`)],
        outfile,
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node24",
        packages: "external",
        // Linked maps let `npm run bench:profile` name the TypeScript source of a profiled frame.
        sourcemap: "linked",
        logLevel: "error",
      });
      return outfile;
    })();
    built.set(name, file);
  }
  return file;
}

export interface RunningChild<Ready> {
  info: Ready;
  process: ChildProcess;
  stats<T extends ProcessStats = ProcessStats>(): Promise<T>;
  stop(): Promise<void>;
}

function nextMessage<Ready>(child: ChildProcess, type: "ready" | "stats"): Promise<ChildMessage<Ready>> {
  return new Promise((resolvePromise, reject) => {
    const onMessage = (message: ChildMessage<Ready>) => {
      if (message.type === "error") {
        cleanup();
        reject(new Error(`worker failed: ${message.message}`));
      } else if (message.type === type) {
        cleanup();
        resolvePromise(message);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`worker exited with code ${code} before "${type}"`));
    };
    const cleanup = () => {
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.on("exit", onExit);
  });
}

/** Starts a worker and waits for its "ready" message. Its stdout is discarded (like a log sink). */
export async function startChild<Ready>(
  name: WorkerName,
  env: Record<string, string>,
  execArgv: string[] = [],
): Promise<RunningChild<Ready>> {
  const child = fork(await buildWorker(name), [], {
    execPath: process.execPath,
    execArgv,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const ready = await nextMessage<Ready>(child, "ready");
  if (ready.type !== "ready") throw new Error("unexpected message");
  const exited = new Promise<void>((resolvePromise) => child.once("exit", () => resolvePromise()));
  return {
    info: ready.info,
    process: child,
    async stats<T extends ProcessStats>() {
      const reply = nextMessage<Ready>(child, "stats");
      child.send({ type: "stats" } satisfies ParentMessage);
      const message = await reply;
      if (message.type !== "stats") throw new Error("unexpected message");
      return message.stats as unknown as T;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.send({ type: "stop" } satisfies ParentMessage);
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a worker to completion: it sends one "stats" message with its result and exits. */
export async function runChild<Result extends ProcessStats>(
  name: WorkerName,
  env: Record<string, string>,
  execArgv: string[] = [],
): Promise<Result> {
  const child = fork(await buildWorker(name), [], {
    execPath: process.execPath,
    execArgv,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const message = await nextMessage<never>(child, "stats");
  if (message.type !== "stats") throw new Error("unexpected message");
  await new Promise<void>((resolvePromise) => {
    if (child.exitCode !== null) resolvePromise();
    else child.once("exit", () => resolvePromise());
  });
  return message.stats as unknown as Result;
}
