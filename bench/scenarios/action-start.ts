/**
 * Scenario 5, action start: spawn `node dist/index.js` as the GitHub runner does (INPUT_* variables,
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files) in plan mode against the emulator, and time from
 * the spawn to the emulator receiving the first request. Reference: a bare `node -e 0` start to
 * exit. Also the bundle size of dist/index.js.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator } from "../../test/emulator/index.js";
import {
  generateDesiredState,
  prepareEmulator,
  seedSyncedState,
  toRunnerConfigYaml,
} from "../lib/desired-state.js";
import { benchEnv } from "../lib/engine.js";
import { loadNow, median, spread } from "../lib/measure.js";
import { megabytes, ms, type Row, ratio, type ScenarioReport, spreadText, verdict } from "../lib/report.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const ACTION_BUNDLE = join(REPO, "dist", "index.js");
/** dist/index.js is the Node version guard; the bundle it loads is dist/action.js. */
const ACTION_CODE = join(REPO, "dist", "action.js");

export interface ActionStartOptions {
  runs: number;
}

export const FULL_ACTION_START: ActionStartOptions = { runs: 7 };

/** The bundle's large dependencies, timed alone to explain the start. */
const IMPORTED = ["undici", "@actions/core", "zod", "yaml", "js-yaml"];

function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      value === undefined ||
      key === "NODE_OPTIONS" ||
      key.startsWith("INPUT_") ||
      key.startsWith("GITHUB_")
    )
      continue;
    env[key] = value;
  }
  return env;
}

function run(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<{ spawnedAt: number; exitMs: number; code: number | null }> {
  return new Promise((resolvePromise, reject) => {
    const spawnedAt = Date.now();
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) reject(new Error(`${args.join(" ")} exited with ${code}: ${stderr.slice(0, 500)}`));
      else resolvePromise({ spawnedAt, exitMs: performance.now() - started, code });
    });
  });
}

export interface ActionStartFacts {
  startMs: number[];
  exitMs: number[];
  bareNodeMs: number[];
  bundleBytes: number;
  /** Spawn-to-exit of `node -e "import 'M'"` minus a bare node, median per module: the import cost. */
  importMs: Record<string, number>;
  /** 1-minute load average before each run. */
  load: number[];
}

export async function runActionStart(
  options: ActionStartOptions,
): Promise<{ report: ScenarioReport; facts: ActionStartFacts }> {
  const bundleBytes = statSync(ACTION_CODE).size;
  const dir = mkdtempSync(join(tmpdir(), "runner-config-action-"));
  const emu = await startEmulator({ latencyMs: 0 });
  const facts: ActionStartFacts = {
    startMs: [],
    exitMs: [],
    bareNodeMs: [],
    bundleBytes,
    load: [],
    importMs: {},
  };
  try {
    const runners = generateDesiredState({ runners: 1, classesPerRunner: 2, integrationsPerRunner: 1 });
    prepareEmulator(emu, runners);
    seedSyncedState(emu, runners);
    const config = join(dir, "runner-config.yaml");
    writeFileSync(config, toRunnerConfigYaml(runners));
    const env = {
      ...cleanEnv(),
      ...benchEnv(),
      INPUT_CONFIG: config,
      INPUT_MODE: "plan",
      "INPUT_API-TOKEN": emu.token,
      "INPUT_API-URL": emu.url,
      INPUT_CONCURRENCY: "8",
      GITHUB_OUTPUT: join(dir, "output"),
      GITHUB_STEP_SUMMARY: join(dir, "summary"),
    };
    for (let index = 0; index < options.runs; index++) {
      writeFileSync(env.GITHUB_OUTPUT, "");
      writeFileSync(env.GITHUB_STEP_SUMMARY, "");
      emu.requests.clear();
      facts.load.push(loadNow());
      const result = await run([ACTION_BUNDLE], env, dir);
      const first = emu.requests.entries[0];
      if (!first) throw new Error("dist/index.js made no API request");
      facts.startMs.push(first.at - result.spawnedAt);
      facts.exitMs.push(result.exitMs);
      const bare = await run(["-e", "0"], cleanEnv(), dir);
      facts.bareNodeMs.push(bare.exitMs);
    }
    // Where the start goes: each large dependency imported alone, against a bare node (same runs).
    for (const module of IMPORTED) {
      const costs: number[] = [];
      for (let index = 0; index < options.runs; index++) {
        const alone = await run(
          ["--input-type=module", "-e", `import ${JSON.stringify(module)}`],
          cleanEnv(),
          REPO,
        );
        const bare = await run(["-e", "0"], cleanEnv(), REPO);
        costs.push(alone.exitMs - bare.exitMs);
      }
      facts.importMs[module] = median(costs);
    }
    // The option the issue names: one request with Node's built-in fetch (undici inside Node, no
    // import) against one with the bundled undici package, each a whole process minus a bare node.
    const firstRequest: Record<string, string> = {
      "built-in fetch": `await fetch(${JSON.stringify(emu.url)}).then((r) => r.text())`,
      "undici package": `const { Agent } = await import("undici"); const a = new Agent(); await a.request({ origin: ${JSON.stringify(emu.url)}, path: "/", method: "GET" }).then((r) => r.body.text()); await a.close()`,
    };
    for (const [label, script] of Object.entries(firstRequest)) {
      const costs: number[] = [];
      for (let index = 0; index < options.runs; index++) {
        const alone = await run(["--input-type=module", "-e", script], cleanEnv(), REPO);
        const bare = await run(["-e", "0"], cleanEnv(), REPO);
        costs.push(alone.exitMs - bare.exitMs);
      }
      facts.importMs[`one request, ${label}`] = median(costs);
    }
  } finally {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const start = median(facts.startMs);
  const bare = median(facts.bareNodeMs);
  const startSpread = spread(facts.startMs);
  const scenario = "5 action start";
  const rows: Row[] = [
    {
      scenario,
      measure: `spawn to first API request (median of ${options.runs})`,
      value: spreadText(startSpread),
      reference: `bare node -e 0 to exit ${ms(bare)}`,
      ratio: ratio(start, bare),
      target: "< 120 ms",
      verdict: verdict(start < 120),
    },
    {
      scenario,
      measure: "  import cost alone (minus bare node)",
      value: Object.entries(facts.importMs)
        .map(([module, cost]) => `${module} ${ms(cost)}`)
        .join(", "),
      reference: "unbundled; @actions/core imports undici too",
      verdict: "-",
    },
    {
      scenario,
      measure: "whole plan run, spawn to exit",
      value: ms(median(facts.exitMs)),
      verdict: "-",
    },
    {
      scenario,
      measure: "bundle dist/index.js",
      value: megabytes(bundleBytes),
      target: "< 2 MB",
      verdict: verdict(bundleBytes < 2 * 1024 * 1024),
    },
  ];
  return {
    facts,
    report: {
      id: "action-start",
      title: "Action start",
      rows,
      requests: [],
      data: { ...facts, node: process.version },
      notes: [
        "Import cost alone (row 'import cost alone'): each dependency imported alone from node_modules, minus a bare node. Those rows overstate undici's share of the bundled start: the CPU profile of the bundled action (npm run bench:profile -- action) puts most of the time before the first request in compiling and setting up the 1.4 MB bundle, then zod, Node's own modules and undici (see bench/README.md, Profiles). 'one request' compares Node's built-in fetch with the undici package for a first request. Not done: a smaller or lazily split bundle, and switching the transport to built-in fetch (its response cap, error classification and tests are written against undici's dispatcher API).",
        `${process.execPath} (${process.version}), timestamps in whole milliseconds (emulator arrival minus spawn); load average before each run: ${facts.load.map((l) => l.toFixed(2)).join(", ")}`,
      ],
    },
  };
}
