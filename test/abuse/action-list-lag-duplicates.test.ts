/**
 * A create whose answer is lost, against an API whose List lags behind writes (the emulator's
 * `listLagMs`): the re-read cannot see the class that was created. The bundled action must never make
 * a second copy; it says the class may or may not exist and to run plan again, and the next plan
 * (once the list caught up) finds exactly one.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { FaultRule } from "../emulator/index.js";
import { LARGE_INSTANCE, sampleConfig } from "../support/fixtures.js";
import { useAbuseHarness } from "./harness.js";

// Longer than the action's client timeout in tests (1500 ms), so even a timed-out create is not yet listed.
const LAG_MS = 2500;
const h = useAbuseHarness({ listLagMs: LAG_MS });

const LOST_ANSWERS: Array<[string, FaultRule]> = [
  ["503 after commit", { kind: "status", status: 503, rpc: "CreateEnvironmentClass", after: true, times: 1 }],
  ["429 after commit", { kind: "status", status: 429, rpc: "CreateEnvironmentClass", after: true, times: 1 }],
  ["500 after commit", { kind: "status", status: 500, rpc: "CreateEnvironmentClass", after: true, times: 1 }],
  ["reset after commit", { kind: "reset", rpc: "CreateEnvironmentClass", after: true, times: 1 }],
  ["timeout after commit", { kind: "hang", rpc: "CreateEnvironmentClass", after: true, times: 1 }],
];

describe("lost create answers while the list lags", () => {
  for (const [name, rule] of LOST_ANSWERS) {
    it(`${name}: one class, reported as "may or may not exist; run plan again"`, async () => {
      h.emu.faults.add(rule);
      const result = await h.action(sampleConfig(LARGE_INSTANCE), { mode: "apply" });
      const classes = [...h.emu.state.environmentClasses.values()].filter(
        (c) => c.displayName === "Large Instance",
      );
      expect(classes).toHaveLength(1);
      expect(h.emu.requests.count("CreateEnvironmentClass")).toBe(1);
      expect(result.code).toBe(1);
      expect(result.outputs.summary).toContain("may or may not have happened: run plan again");
      expect(result.summary).toContain("it may or may not exist: run plan again");

      // Once the list has caught up, plan sees the one class and nothing left to create.
      // Part of the scenario: the emulator's list lags by LAG_MS by design; let that pass.
      await sleep(LAG_MS + 100);
      const plan = await h.action(sampleConfig(LARGE_INSTANCE), { mode: "plan" });
      expect(plan.code).toBe(0);
      expect(plan.outputs.changed).toBe("false");
    });
  }

  it("an SCM integration whose create answer was lost: not created again either, and said so", async () => {
    h.emu.faults.add({ kind: "reset", rpc: "CreateSCMIntegration", after: true, times: 1 });
    const result = await h.action(sampleConfig(LARGE_INSTANCE), { mode: "apply" });
    expect([...h.emu.state.scmIntegrations.values()]).toHaveLength(1);
    expect(h.emu.requests.count("CreateSCMIntegration")).toBe(1);
    expect(result.code).toBe(1);
    expect(result.summary).toContain("it may or may not exist: run plan again");
  });
});
