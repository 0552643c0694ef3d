/** The five LLM-integration RPCs over raw HTTP: protojson forms, the key kept encrypted, the assumptions. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RUNNER_EU_ID, RUNNER_US_ID } from "../emulator/fixtures.js";
import { call, ok } from "../emulator/helpers.js";
import { type Emulator, startEmulator } from "../emulator/index.js";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.state.reset());

const base64 = (text: string) => Buffer.from(text).toString("base64");

describe("LLM integrations", () => {
  it("stores the key only encrypted and answers uint64 as a string, bytes as base64, enums by name", async () => {
    const { id } = await ok(emu, "CreateLLMIntegration", {
      runnerId: RUNNER_EU_ID,
      models: ["SUPPORTED_MODEL_OPENAI_4O", 4],
      endpoint: "https://llm.example.com",
      apiKey: "sk-plain-key",
      maxTokens: 8192,
    });
    expect(emu.state.decryptApiKey(id)).toBe("sk-plain-key");
    const { integration } = await ok(emu, "GetLLMIntegration", { id });
    expect(integration).toEqual({
      id,
      runnerId: RUNNER_EU_ID,
      models: ["SUPPORTED_MODEL_OPENAI_4O", "SUPPORTED_MODEL_SONNET_4"],
      endpoint: "https://llm.example.com",
      encryptedApiKey: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
      maxTokens: "8192",
      phase: "LLM_INTEGRATION_PHASE_AVAILABLE",
      provider: "LLM_PROVIDER_OPENAI",
    });
    expect(JSON.stringify(integration)).not.toContain("sk-plain-key");
  });

  it("leaves a list unchanged when an update sends it empty (assumption), replaces it when not", async () => {
    const seeded = emu.state.seedLlmIntegration({
      runnerId: RUNNER_EU_ID,
      requestHeaders: [{ key: "authorization", value: "Bearer one" }],
    });
    await ok(emu, "UpdateLLMIntegration", { id: seeded.id, models: [], requestHeaders: [] });
    let { integration } = await ok(emu, "GetLLMIntegration", { id: seeded.id });
    expect(integration.models).toEqual(["SUPPORTED_MODEL_SONNET_4"]);
    expect(integration.requestHeaders).toEqual([
      {
        key: "authorization",
        value: base64("Bearer one"),
        headerType: "LLM_INTEGRATION_REQUEST_HEADER_TYPE_LITERAL",
      },
    ]);
    await ok(emu, "UpdateLLMIntegration", {
      id: seeded.id,
      models: ["SUPPORTED_MODEL_HAIKU_4_5"],
      requestHeaders: [
        {
          key: "x-cel",
          value: base64("user.id"),
          headerType: "LLM_INTEGRATION_REQUEST_HEADER_TYPE_CEL_EXPRESSION",
        },
      ],
      apiKey: "sk-rotated",
      maxTokens: "0",
    });
    ({ integration } = await ok(emu, "GetLLMIntegration", { id: seeded.id }));
    expect(integration.models).toEqual(["SUPPORTED_MODEL_HAIKU_4_5"]);
    expect(integration.requestHeaders).toHaveLength(1);
    expect(integration.maxTokens).toBeUndefined();
    expect(emu.state.decryptApiKey(seeded.id)).toBe("sk-rotated");
  });

  it("reports the phase tests set, and DISABLED by the user with its reason", async () => {
    const seeded = emu.state.seedLlmIntegration({ runnerId: RUNNER_EU_ID });
    emu.state.setLlmIntegrationPhase(seeded.id, "LLM_INTEGRATION_PHASE_UNAVAILABLE", "insufficient funds");
    expect((await ok(emu, "GetLLMIntegration", { id: seeded.id })).integration).toMatchObject({
      phase: "LLM_INTEGRATION_PHASE_UNAVAILABLE",
      phaseReason: "insufficient funds",
    });
    await ok(emu, "UpdateLLMIntegration", { id: seeded.id, phase: "LLM_INTEGRATION_PHASE_DISABLED" });
    expect((await ok(emu, "GetLLMIntegration", { id: seeded.id })).integration).toMatchObject({
      phase: "LLM_INTEGRATION_PHASE_DISABLED",
      phaseReason: "user disabled",
    });
  });

  it("lists by runner and deletes; unknown ids are not_found, malformed ones invalid_argument", async () => {
    const eu = emu.state.seedLlmIntegration({ runnerId: RUNNER_EU_ID });
    emu.state.seedLlmIntegration({ runnerId: RUNNER_US_ID });
    const listed = await ok(emu, "ListLLMIntegrations", { filter: { runnerIds: [RUNNER_EU_ID] } });
    expect(listed.integrations.map((item: { id: string }) => item.id)).toEqual([eu.id]);
    await ok(emu, "DeleteLLMIntegration", { id: eu.id, force: true });
    const missing = await call(emu, "GetLLMIntegration", { id: eu.id });
    expect(missing.status).toBe(404);
    const malformed = await call(emu, "DeleteLLMIntegration", { id: "llm-1" });
    expect(malformed.json).toEqual({ code: "invalid_argument", message: "id: value must be a valid UUID" });
  });

  it("refuses a model or header type number the service does not define", async () => {
    const model = await call(emu, "CreateLLMIntegration", { runnerId: RUNNER_EU_ID, models: [4, 999] });
    expect(model.json).toEqual({
      code: "invalid_argument",
      message:
        "unmarshal CreateLLMIntegrationRequest: models[1]: value must be one of the defined enum values",
    });
    const seeded = emu.state.seedLlmIntegration({ runnerId: RUNNER_EU_ID });
    const header = await call(emu, "UpdateLLMIntegration", {
      id: seeded.id,
      requestHeaders: [{ key: "a", value: base64("b"), headerType: 9 }],
    });
    expect(header.status).toBe(400);
  });
});
