/**
 * Running the action outside GitHub (GitHub's @github/local-action, or the bundle by hand): no job
 * summary file is a warning, not a failure, and the committed .env.example names only real inputs.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Emulator, GITHUB_OAUTH_SECRET, startEmulator } from "../emulator/index.js";
import { makeWorkspace, removeWorkspace, runAction } from "../support/run-action.js";

let emu: Emulator;
let workspace: string;
beforeAll(async () => {
  emu = await startEmulator({ token: "local-run-token" });
  workspace = await makeWorkspace(await readFile("examples/runner-config.yaml", "utf8"));
});
afterAll(async () => {
  await emu.close();
  await removeWorkspace(workspace);
});

describe("a local run", () => {
  it("warns that the job summary was not written when GITHUB_STEP_SUMMARY is not set, and succeeds", async () => {
    const result = await runAction({
      workspace,
      api: emu,
      inputs: { mode: "plan" },
      env: { GITHUB_STEP_SUMMARY: "", OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET },
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("::warning::GITHUB_STEP_SUMMARY is not set (a local run?)");
    expect(result.outputs.summary).toBe("Plan: 7 to create; 0 unchanged.");
  });

  it(".env.example sets only inputs that action.yml declares, and the emulator's demo values", async () => {
    const declared = Object.keys(parse(await readFile("action.yml", "utf8")).inputs);
    const text = await readFile(".env.example", "utf8");
    const inputs = [...text.matchAll(/^INPUT_([A-Z-]+)=/gm)].map((m) => (m[1] ?? "").toLowerCase());
    expect(inputs.length).toBeGreaterThan(2);
    for (const input of inputs) expect(declared).toContain(input);
    expect(text).toContain(`OAUTH_SECRET_GITHUB_COM=${GITHUB_OAUTH_SECRET}`);
  });
});
