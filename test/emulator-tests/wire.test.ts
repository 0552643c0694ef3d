import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RUNNER_EU_ID } from "../emulator/fixtures.js";
import { call, ok } from "../emulator/helpers.js";
import { type Emulator, startEmulator } from "../emulator/index.js";

const READ_ONLY = "read-only-token";
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ fixtures: { readOnlyTokens: [READ_ONLY] } });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.state.reset();
  emu.requests.clear();
});

describe("authentication", () => {
  it("answers 401 unauthenticated without a bearer token", async () => {
    const result = await call(
      emu,
      "GetRunnerConfigurationSchema",
      { runnerId: RUNNER_EU_ID },
      { token: null },
    );
    expect(result.status).toBe(401);
    expect(result.json).toMatchObject({ code: "unauthenticated" });
    expect(result.headers.get("content-type")).toBe("application/json");
  });

  it("answers 401 with a wrong token and does not echo it", async () => {
    const result = await call(emu, "ListSCMIntegrations", {}, { token: "canary-wrong-token-123" });
    expect(result.status).toBe(401);
    expect(result.json.code).toBe("unauthenticated");
    expect(result.text).not.toContain("canary-wrong-token-123");
  });

  it("lets a read-only token read but answers 403 permission_denied on writes", async () => {
    await ok(emu, "ListEnvironmentClasses", {}, { token: READ_ONLY });
    await ok(
      emu,
      "ValidateRunnerConfiguration",
      {
        runnerId: RUNNER_EU_ID,
        environmentClass: { id: crypto.randomUUID(), runnerId: RUNNER_EU_ID, displayName: "abc" },
      },
      {
        token: READ_ONLY,
      },
    );
    const result = await call(
      emu,
      "CreateEnvironmentClass",
      {
        runnerId: RUNNER_EU_ID,
        displayName: "Small",
        configuration: [{ key: "instanceType", value: "m6i.large" }],
      },
      { token: READ_ONLY },
    );
    expect(result.status).toBe(403);
    expect(result.json.code).toBe("permission_denied");
    expect(emu.state.environmentClasses.size).toBe(0);
  });
});

describe("protocol errors", () => {
  it("answers an unknown procedure with 404 unimplemented", async () => {
    const result = await call(emu, "DeleteEnvironmentClass", { id: "x" });
    expect(result.status).toBe(404);
    expect(result.json.code).toBe("unimplemented");
    expect(emu.requests.last()?.rpc).toBe("DeleteEnvironmentClass");
  });

  it("answers a path outside the service with 404", async () => {
    const response = await fetch(`${emu.url}/healthz`, { method: "POST", body: "{}" });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { code: string }).code).toBe("unimplemented");
  });

  it("answers GET with 405 and Allow: POST", async () => {
    const result = await call(emu, "ListSCMIntegrations", undefined, { method: "GET" });
    expect(result.status).toBe(405);
    expect(result.headers.get("allow")).toBe("POST");
  });

  it("answers a non-JSON content type with 415 and Accept-Post", async () => {
    const result = await call(
      emu,
      "ListSCMIntegrations",
      {},
      { contentType: "application/x-www-form-urlencoded" },
    );
    expect(result.status).toBe(415);
    expect(result.headers.get("accept-post")).toBe("application/json");
  });

  it("accepts application/json with a charset", async () => {
    await ok(emu, "ListSCMIntegrations", {}, { contentType: "application/json; charset=utf-8" });
  });

  it.each([
    ["malformed JSON", '{"runnerId": '],
    ["an empty body", ""],
    ["a JSON array", "[]"],
    ["a JSON string", '"hello"'],
  ])("answers %s with 400 invalid_argument", async (_, raw) => {
    const result = await call(emu, "GetRunnerConfigurationSchema", undefined, { raw });
    expect(result.status).toBe(400);
    expect(result.json.code).toBe("invalid_argument");
  });

  it.each([
    ["GetSCMIntegration", { id: 42 }, "id"],
    ["ListEnvironmentClasses", { filter: { enabled: "yes" } }, "filter.enabled"],
    ["ListEnvironmentClasses", { filter: { runnerIds: RUNNER_EU_ID } }, "filter.runnerIds"],
    [
      "CreateEnvironmentClass",
      { runnerId: RUNNER_EU_ID, displayName: "ok name", configuration: {} },
      "configuration",
    ],
    ["UpdateEnvironmentClass", { environmentClassId: "x", enabled: "true" }, "enabled"],
  ])(
    "answers %s with a wrong field type with invalid_argument naming the field",
    async (rpc, body, field) => {
      const result = await call(emu, rpc, body);
      expect(result.status).toBe(400);
      expect(result.json.code).toBe("invalid_argument");
      expect(result.json.message).toContain(field);
    },
  );

  it("reads a missing required field as invalid_argument", async () => {
    const result = await call(emu, "CreateSCMIntegration", { runnerId: RUNNER_EU_ID, scmId: "github" });
    expect(result.status).toBe(400);
    expect(result.json.message).toContain("host");
  });

  it("rejects a body over 4 MiB with resource_exhausted", async () => {
    const result = await call(emu, "ListSCMIntegrations", undefined, {
      raw: JSON.stringify({ filler: "x".repeat(5 * 1024 * 1024) }),
    });
    expect(result.status).toBe(429);
    expect(result.json.code).toBe("resource_exhausted");
  });

  it("keeps serving after every kind of bad input", async () => {
    await call(emu, "GetSCMIntegration", undefined, { raw: "{{{" });
    await call(emu, "Nope", {});
    await call(emu, "GetSCMIntegration", undefined, { method: "GET" });
    await call(emu, "GetSCMIntegration", { id: [1, 2] });
    const schema = await ok(emu, "GetRunnerConfigurationSchema", { runnerId: RUNNER_EU_ID });
    expect(schema.schema.scm.length).toBeGreaterThan(0);
  });
});

describe("protobuf JSON leniency", () => {
  it("ignores unknown fields", async () => {
    const body = await ok(emu, "GetRunnerConfigurationSchema", {
      runnerId: RUNNER_EU_ID,
      someFutureField: { a: 1 },
    });
    expect(body.schema.version).toBeTruthy();
  });

  it("accepts proto field names and null as unset", async () => {
    const created = await ok(emu, "CreateEnvironmentClass", {
      runner_id: RUNNER_EU_ID,
      display_name: "Snake case",
      description: null,
      configuration: [{ key: "instanceType", value: "m6i.large" }],
    });
    const got = await ok(emu, "GetEnvironmentClass", { environment_class_id: created.id });
    expect(got.environmentClass.displayName).toBe("Snake case");
  });

  it("omits zero values in responses as protojson does", async () => {
    const { id } = await ok(emu, "CreateEnvironmentClass", {
      runnerId: RUNNER_EU_ID,
      displayName: "No description",
      configuration: [{ key: "instanceType", value: "m6i.large" }],
    });
    await ok(emu, "UpdateEnvironmentClass", { environmentClassId: id, enabled: false });
    const got = await ok(emu, "GetEnvironmentClass", { environmentClassId: id });
    expect(got.environmentClass).not.toHaveProperty("description");
    expect(got.environmentClass).not.toHaveProperty("enabled");
  });
});

describe("serving", () => {
  it("serves RPCs with and without a path prefix", async () => {
    await ok(emu, "GetRunnerConfigurationSchema", { runnerId: RUNNER_EU_ID }, { prefix: "" });
    await ok(emu, "GetRunnerConfigurationSchema", { runnerId: RUNNER_EU_ID }, { prefix: "/some/gateway" });
  });

  it("answers UUID ids", async () => {
    const { id } = await ok(emu, "CreateEnvironmentClass", {
      runnerId: RUNNER_EU_ID,
      displayName: "Uuid",
      configuration: [{ key: "instanceType", value: "m6i.large" }],
    });
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("logs every request with rpc, body, query, status and timing", async () => {
    await call(emu, "ListSCMIntegrations", { filter: {} }, { query: { pageSize: "5" } });
    await call(emu, "GetSCMIntegration", { id: crypto.randomUUID() });
    expect(emu.requests.count()).toBe(2);
    expect(emu.requests.count("GetSCMIntegration")).toBe(1);
    const [list, get] = emu.requests.entries;
    expect(list).toMatchObject({
      rpc: "ListSCMIntegrations",
      body: { filter: {} },
      query: { pageSize: "5" },
      status: 200,
    });
    expect(get).toMatchObject({ status: 404, code: "not_found" });
    expect(list?.durationMs).toBeGreaterThanOrEqual(0);
    expect(typeof list?.at).toBe("number");
  });
});

describe("latency", () => {
  it("delays every request without serialising concurrent ones", async () => {
    const slow = await startEmulator({ latencyMs: 150 });
    try {
      const started = performance.now();
      const results = await Promise.all(
        Array.from({ length: 40 }, () =>
          call(slow, "GetRunnerConfigurationSchema", { runnerId: RUNNER_EU_ID }),
        ),
      );
      const elapsed = performance.now() - started;
      expect(results.every((result) => result.status === 200)).toBe(true);
      expect(elapsed).toBeGreaterThanOrEqual(140);
      expect(elapsed).toBeLessThan(150 * 5);
    } finally {
      await slow.close();
    }
  });
});
