/** Request decoding as a protojson server does it, and `{}` sent to every RPC (as the curl examples do). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RUNNER_EU_ID } from "../emulator/fixtures.js";
import { call, ok } from "../emulator/helpers.js";
import { type Emulator, startEmulator } from "../emulator/index.js";
import { RPC_NAMES } from "../emulator/messages.js";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.state.reset());

/** What `{}` (every field at its default) gets: the service's own rules, never a decoding error. */
const EMPTY_BODY_ANSWERS: Record<string, { status: number; message?: string }> = {
  ValidateRunnerConfiguration: {
    status: 400,
    message: "exactly one of environment_class or scm_integration must be set",
  },
  CreateEnvironmentClass: { status: 400, message: "runner_id: value is required" },
  ListEnvironmentClasses: { status: 200 },
  GetEnvironmentClass: { status: 400, message: "environment_class_id: value is required" },
  UpdateEnvironmentClass: { status: 400, message: "environment_class_id: value is required" },
  CreateHostAuthenticationToken: { status: 400, message: "runner_id: value is required" },
  ListHostAuthenticationTokens: { status: 200 },
  GetHostAuthenticationToken: { status: 400, message: "id: value is required" },
  UpdateHostAuthenticationToken: { status: 400, message: "id: value is required" },
  DeleteHostAuthenticationToken: { status: 400, message: "id: value is required" },
  GetRunnerConfigurationSchema: { status: 400, message: "runner_id: value is required" },
  CreateSCMIntegration: { status: 400, message: "runner_id: value is required" },
  ListSCMIntegrations: { status: 200 },
  GetSCMIntegration: { status: 400, message: "id: value is required" },
  UpdateSCMIntegration: { status: 400, message: "id: value is required" },
  DeleteSCMIntegration: { status: 400, message: "id: value is required" },
  CreateLLMIntegration: { status: 400, message: "runner_id: value is required" },
  GetLLMIntegration: { status: 400, message: "id: value is required" },
  ListLLMIntegrations: { status: 200 },
  UpdateLLMIntegration: { status: 400, message: "id: value is required" },
  DeleteLLMIntegration: { status: 400, message: "id: value is required" },
};

describe("{} to every RPC", () => {
  it("covers all 21 RPCs", () => {
    expect(Object.keys(EMPTY_BODY_ANSWERS).sort()).toEqual([...RPC_NAMES].sort());
  });

  it.each(RPC_NAMES)("%s answers {} with the service's own rule", async (rpc) => {
    const result = await call(emu, rpc, {});
    const expected = EMPTY_BODY_ANSWERS[rpc] as { status: number; message?: string };
    expect(result.status).toBe(expected.status);
    if (expected.message)
      expect(result.json).toEqual({ code: "invalid_argument", message: expected.message });
    else expect(result.json).toEqual({ pagination: {} });
  });
});

describe("protojson decoding", () => {
  it("names a wrong type by the field's JSON path and never echoes the value", async () => {
    const result = await call(emu, "CreateSCMIntegration", {
      runnerId: RUNNER_EU_ID,
      oauthPlaintextClientSecret: { canary: "secret-canary-77" },
    });
    expect(result.json).toEqual({
      code: "invalid_argument",
      message:
        "unmarshal CreateSCMIntegrationRequest: invalid value for string field oauthPlaintextClientSecret",
    });
    expect(result.text).not.toContain("secret-canary-77");
  });

  it("refuses the JSON name and the proto name of one field together as a duplicate", async () => {
    const result = await call(emu, "GetRunnerConfigurationSchema", {
      runnerId: RUNNER_EU_ID,
      runner_id: RUNNER_EU_ID,
    });
    expect(result.status).toBe(400);
    expect(result.json.message).toContain("duplicate field runner_id");
  });

  it("reads quoted integers, enum numbers, and ignores enum names it does not know", async () => {
    const page = await ok(emu, "ListEnvironmentClasses", { pagination: { page_size: "5" } });
    expect(page).toEqual({ pagination: {} });
    const created = await ok(emu, "CreateHostAuthenticationToken", {
      runnerId: RUNNER_EU_ID,
      host: "github.com",
      token: "t",
      source: 2,
    });
    expect(created.token.source).toBe("HOST_AUTHENTICATION_TOKEN_SOURCE_PAT");
    const unknown = await ok(emu, "CreateHostAuthenticationToken", {
      runnerId: RUNNER_EU_ID,
      host: "github.com",
      token: "t",
      source: "HOST_AUTHENTICATION_TOKEN_SOURCE_FROM_THE_FUTURE",
    });
    expect(unknown.token).not.toHaveProperty("source");
  });

  it("refuses a timestamp without a time zone", async () => {
    const result = await call(emu, "CreateHostAuthenticationToken", {
      runnerId: RUNNER_EU_ID,
      host: "github.com",
      token: "t",
      expiresAt: "2030-01-01T00:00:00",
    });
    expect(result.status).toBe(400);
    expect(result.json.message).toContain("expiresAt");
  });

  it("answers service-like messages with proto field names", async () => {
    const result = await call(emu, "CreateEnvironmentClass", {
      runnerId: RUNNER_EU_ID,
      displayName: "ab",
      configuration: [{ key: "instanceType", value: "m6i.large" }],
    });
    expect(result.json).toEqual({
      code: "invalid_argument",
      message: "display_name: must be at least 3 characters",
    });
  });
});
