/**
 * The CLI and the action keep V8's young generation at the size it has when their work starts
 * (action/young-generation.ts): checked in the process a user runs, dist/cli.js, by a preload that
 * reports the young generation's size at exit. The control run is the same process with the setting
 * turned into a no-op by the preload: there the young generation grows, so the check can fail.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDesiredState, prepareEmulator, toRunnerConfigYaml } from "../../bench/lib/desired-state.js";
import { benchEnv } from "../../bench/lib/engine.js";
import { shapeFor } from "../../bench/scenarios/scale.js";
import { type Emulator, startEmulator } from "../emulator/index.js";
import { runCli } from "../support/run-action.js";

const PROBE = `
const v8 = require("node:v8");
if (process.env.YOUNG_PROBE_CONTROL === "1") {
  v8.setFlagsFromString = () => {};
  require("node:module").syncBuiltinESMExports();
}
process.on("exit", () => {
  const young = v8.getHeapSpaceStatistics().find((space) => space.space_name === "new_space");
  require("node:fs").writeFileSync(process.env.YOUNG_PROBE_OUT, String(young.space_size));
});
`;
const MB = 1024 * 1024;

let emu: Emulator;
let dir: string;
let file: string;
beforeAll(async () => {
  emu = await startEmulator();
  dir = await mkdtemp(join(tmpdir(), "young-generation-"));
  await writeFile(join(dir, "probe.cjs"), PROBE);
  const runners = generateDesiredState(shapeFor(3000, 2));
  prepareEmulator(emu, runners);
  file = join(dir, "runner-config.yaml");
  await writeFile(file, toRunnerConfigYaml(runners));
});
afterAll(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

async function planYoungGeneration(control: boolean): Promise<number> {
  const out = join(dir, control ? "control" : "shipped");
  const result = await runCli(["plan", "--config", file, "--api-url", emu.url], {
    api: { token: emu.token },
    env: {
      NODE_OPTIONS: `--require ${join(dir, "probe.cjs")}`,
      YOUNG_PROBE_OUT: out,
      YOUNG_PROBE_CONTROL: control ? "1" : "0",
      ...benchEnv(),
    },
  });
  expect(result.code).toBe(0);
  return Number(await readFile(out, "utf8"));
}

describe("young generation of the CLI process (dist/cli.js plan, 3,000 objects)", () => {
  it("stays small, and grows when the setting is a no-op (control)", async () => {
    const shipped = await planYoungGeneration(false);
    const control = await planYoungGeneration(true);
    expect(shipped).toBeLessThanOrEqual(16 * MB);
    expect(control).toBeGreaterThan(32 * MB);
  });
});
