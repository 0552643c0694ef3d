/**
 * A gateway in front of the API answers 503, 429 or 500 after the backend committed a create (the
 * upstream connection dropped). The bundled action must not make a second copy of the environment
 * class or LLM integration, and must say that it could not establish what happened instead of
 * "failed" or "1 change".
 */
import { describe, expect, it } from "vitest";
import { type FaultStatus, RUNNER_EU_ID } from "../emulator/index.js";
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

describe("an LLM integration's create answered with an error", () => {
  const KEY = "canary-llm-lost-key-62f1";
  const config = `version: 1
runners:
  - id: ${RUNNER_EU_ID}
    llmIntegrations:
      - endpoint: https://api.anthropic.com
        models: [SUPPORTED_MODEL_SONNET_4]
        apiKey: \${LLM_KEY}
`;
  const integrations = () => [...h.emu.state.llmIntegrations.values()];

  for (const status of [429, 500] as FaultStatus[]) {
    it(`HTTP ${status} after it committed: one integration, holding the file's key`, async () => {
      h.emu.faults.add({ kind: "status", status, rpc: "CreateLLMIntegration", after: true, times: 1 });
      const result = await h.action(config, { mode: "apply" }, { LLM_KEY: KEY });
      expect(result.code, result.stdout).toBe(0);
      expect(h.emu.requests.count("CreateLLMIntegration")).toBe(1);
      expect(integrations()).toHaveLength(1);
      expect(h.emu.state.decryptApiKey(integrations()[0]?.id ?? "")).toBe(KEY);
      expect(result.everything.replace(/^::add-mask::.*$/gm, "")).not.toContain(KEY);
    });
  }

  it("when the re-read cannot see it either, says it may or may not exist and does not create again", async () => {
    h.emu.faults.add({ kind: "status", status: 503, rpc: "CreateLLMIntegration", times: 1 });
    const result = await h.action(config, { mode: "apply" }, { LLM_KEY: KEY });
    expect(result.code).toBe(1);
    expect(h.emu.requests.count("CreateLLMIntegration")).toBe(1);
    expect(result.outputs.summary).toContain("1 of them may or may not have happened: run plan again");
    expect(result.summary).toContain("it may or may not exist: run plan again");
    expect(integrations()).toHaveLength(0);
    expect(result.everything.replace(/^::add-mask::.*$/gm, "")).not.toContain(KEY);
  });
});
