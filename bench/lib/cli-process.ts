/**
 * Runs the CLI users run, `node dist/cli.js <args>`, as its own process and returns its peak RSS and
 * CPU time (written at exit by exit-stats-probe.cjs), so a memory target is checked on that process
 * and not only on a benchmark worker.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ProcessStats } from "../workers/protocol.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CLI = join(REPO, "dist", "cli.js");
const PROBE = join(REPO, "bench", "lib", "exit-stats-probe.cjs");

export async function runCliProcess(args: string[], env: Record<string, string>): Promise<ProcessStats> {
  const dir = mkdtempSync(join(tmpdir(), "bench-cli-"));
  const out = join(dir, "stats.json");
  try {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done, fail) => {
      const child = spawn(process.execPath, ["--require", PROBE, CLI, ...args], {
        env: { PATH: process.env.PATH ?? "", ...env, BENCH_EXIT_STATS: out },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on("error", fail);
      child.on("exit", (exitCode) => done({ code: exitCode, stderr }));
    });
    if (code !== 0) throw new Error(`dist/cli.js ${args[0]} exited ${code}: ${stderr.slice(0, 500)}`);
    return JSON.parse(readFileSync(out, "utf8")) as ProcessStats;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
