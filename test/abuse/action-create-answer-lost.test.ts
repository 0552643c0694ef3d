/**
 * A gateway in front of the API answers 503, 429 or 500 after the backend committed a create (the
 * upstream connection dropped). The bundled action must not make a second copy of the environment
 * class, and must say that it could not establish what happened instead of "failed" or "1 change".
 */
import { describe, expect, it } from "vitest";
import type { FaultStatus } from "../emulator/index.js";
import { LARGE_INSTANCE, sampleConfig } from "../support/fixtures.js";
import { useAbuseHarness } from "./harness.js";

const h = useAbuseHarness();

function classesNamed(name: string) {
  return [...h.emu.state.environmentClasses.values()].filter((c) => c.displayName === name);
}

describe("a create answered with an error after it committed", () => {
  for (const status of [503, 429, 500] as FaultStatus[]) {
    it(`HTTP ${status}: one class: the re-read finds and adopts it`, async () => {
      h.emu.faults.add({ kind: "status", status, rpc: "CreateEnvironmentClass", after: true, times: 1 });
      const result = await h.action(sampleConfig(LARGE_INSTANCE), { mode: "apply" });
      // The re-read finds the class the lost answer created, and adopts it.
      expect(classesNamed("Large Instance")).toHaveLength(1);
      expect(h.emu.requests.count("CreateEnvironmentClass")).toBe(1);
      expect(result.code, result.stdout).toBe(0);
      expect(result.outputs.summary).toBe("Applied 2 change(s).");

      const again = await h.action(sampleConfig(LARGE_INSTANCE), { mode: "plan" });
      expect(again.outputs.changed).toBe("false");
    });
  }

  it("when the re-read cannot see it either, says it may or may not exist and does not create again", async () => {
    // The create fails before committing, and every answer to it proves nothing.
    h.emu.faults.add({ kind: "status", status: 503, rpc: "CreateEnvironmentClass", times: 1 });
    const result = await h.action(sampleConfig(LARGE_INSTANCE), { mode: "apply" });
    expect(result.code).toBe(1);
    expect(h.emu.requests.count("CreateEnvironmentClass")).toBe(1);
    expect(result.outputs.summary).toContain("1 of them may or may not have happened: run plan again");
    expect(result.summary).toContain("❓ unknown");
    expect(result.summary).toContain("it may or may not exist: run plan again");
    expect(result.stdout).toMatch(/::error::.*may or may not have happened/);

    const again = await h.action(sampleConfig(LARGE_INSTANCE), { mode: "apply" });
    expect(again.code).toBe(0);
    expect(classesNamed("Large Instance")).toHaveLength(1);
  });
});
