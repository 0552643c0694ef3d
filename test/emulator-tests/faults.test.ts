import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RUNNER_EU_ID } from "../emulator/fixtures.js";
import { call, ok } from "../emulator/helpers.js";
import { type Emulator, type FaultRule, startEmulator } from "../emulator/index.js";

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator();
});
afterEach(() => emu.close());

const SCHEMA = ["GetRunnerConfigurationSchema", { runnerId: RUNNER_EU_ID }] as const;
const CREATE_SCM = [
  "CreateSCMIntegration",
  { runnerId: RUNNER_EU_ID, scmId: "github", host: "github.com", pat: true },
] as const;

async function statuses(target: Emulator, count: number): Promise<number[]> {
  const result: number[] = [];
  for (let index = 0; index < count; index += 1) result.push((await call(target, ...SCHEMA)).status);
  return result;
}

describe("status faults", () => {
  it("answers 429 resource_exhausted with Retry-After", async () => {
    emu.faults.add({ kind: "status", status: 429, retryAfterSeconds: 2, times: 1 });
    const limited = await call(emu, ...SCHEMA);
    expect(limited.status).toBe(429);
    expect(limited.json.code).toBe("resource_exhausted");
    expect(limited.headers.get("retry-after")).toBe("2");
    expect((await call(emu, ...SCHEMA)).status).toBe(200);
    expect(emu.requests.entries[0]).toMatchObject({ status: 429, fault: "status" });
  });

  it("answers 503 unavailable and 500 internal", async () => {
    emu.faults.add({ kind: "status", status: 503, times: 1 });
    emu.faults.add({ kind: "status", status: 500, nth: 2 });
    const unavailable = await call(emu, ...SCHEMA);
    expect([unavailable.status, unavailable.json.code]).toEqual([503, "unavailable"]);
    const internal = await call(emu, ...SCHEMA);
    expect([internal.status, internal.json.code]).toEqual([500, "internal"]);
    expect((await call(emu, ...SCHEMA)).status).toBe(200);
  });

  it("fires on the nth matching request of one RPC only", async () => {
    emu.faults.add({ kind: "status", status: 503, rpc: "CreateSCMIntegration", nth: 2 });
    await ok(emu, ...SCHEMA);
    await ok(emu, "CreateSCMIntegration", { ...CREATE_SCM[1], host: "a.example.com" });
    await ok(emu, ...SCHEMA);
    expect(
      (await call(emu, "CreateSCMIntegration", { ...CREATE_SCM[1], host: "b.example.com" })).status,
    ).toBe(503);
    await ok(emu, "CreateSCMIntegration", { ...CREATE_SCM[1], host: "c.example.com" });
    expect([...emu.state.scmIntegrations.values()].map((i) => i.host)).toEqual([
      "a.example.com",
      "c.example.com",
    ]);
  });

  it("fires `times` times from the nth request on", async () => {
    emu.faults.add({ kind: "status", status: 503, nth: 2, times: 2 });
    expect(await statuses(emu, 5)).toEqual([200, 503, 503, 200, 200]);
  });

  it("fires at a rate that is reproducible with the same seed", async () => {
    const rule: FaultRule = { kind: "status", status: 503, rate: 0.5 };
    const first = await startEmulator({ seed: 7, faults: [rule] });
    const second = await startEmulator({ seed: 7, faults: [rule] });
    try {
      const a = await statuses(first, 30);
      const b = await statuses(second, 30);
      expect(a).toEqual(b);
      expect(a).toContain(503);
      expect(a).toContain(200);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it("can be cleared", async () => {
    emu.faults.add({ kind: "status", status: 503 });
    expect(await statuses(emu, 2)).toEqual([503, 503]);
    emu.faults.clear();
    expect(await statuses(emu, 1)).toEqual([200]);
  });

  it("rejects malformed rules", () => {
    expect(() => emu.faults.add({ kind: "status", rate: 2 })).toThrow(/rate/);
    expect(() => emu.faults.add({ kind: "latency" })).toThrow(/latencyMs/);
    expect(() => emu.faults.add({ kind: "status", nth: 0 })).toThrow(/nth/);
  });
});

describe("connection faults", () => {
  it("resets the connection", async () => {
    emu.faults.add({ kind: "reset", times: 1 });
    await expect(call(emu, ...SCHEMA)).rejects.toThrow();
    expect((await call(emu, ...SCHEMA)).status).toBe(200);
    expect(emu.requests.entries[0]).toMatchObject({ status: 0, fault: "reset" });
  });

  it("hangs until the client gives up, while serving other requests", async () => {
    emu.faults.add({ kind: "hang", rpc: "ListSCMIntegrations" });
    const hung = call(emu, "ListSCMIntegrations", {}, { signal: AbortSignal.timeout(300) });
    await ok(emu, ...SCHEMA);
    await expect(hung).rejects.toThrow();
  });

  it("closes promptly with a hanging request open", async () => {
    emu.faults.add({ kind: "hang" });
    const hung = call(emu, ...SCHEMA).catch((error: unknown) => error);
    // A poll (bounded by the test's timeout): the emulator's tests import nothing from outside test/emulator.
    while (emu.requests.count() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    await emu.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await hung).toBeInstanceOf(Error);
  });
});

describe("after-commit faults", () => {
  it("commits a create and then resets: the client cannot know, a retry gets already_exists", async () => {
    emu.faults.add({ kind: "reset", rpc: "CreateSCMIntegration", after: true, times: 1 });
    await expect(call(emu, ...CREATE_SCM)).rejects.toThrow();
    expect(emu.state.scmIntegrations.size).toBe(1);
    const retry = await call(emu, ...CREATE_SCM);
    expect(retry.status).toBe(409);
  });

  it("commits a create and then answers 503", async () => {
    emu.faults.add({ kind: "status", status: 503, rpc: "CreateSCMIntegration", after: true, times: 1 });
    expect((await call(emu, ...CREATE_SCM)).status).toBe(503);
    expect(emu.state.scmIntegrations.size).toBe(1);
  });

  it("commits a create and then hangs", async () => {
    emu.faults.add({ kind: "hang", rpc: "CreateSCMIntegration", after: true });
    await expect(call(emu, ...CREATE_SCM, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect(emu.state.scmIntegrations.size).toBe(1);
  });

  it("does not commit with a before fault", async () => {
    emu.faults.add({ kind: "reset", rpc: "CreateSCMIntegration", times: 1 });
    await expect(call(emu, ...CREATE_SCM)).rejects.toThrow();
    expect(emu.state.scmIntegrations.size).toBe(0);
  });
});

describe("latency faults", () => {
  it("delays only the matching RPC", async () => {
    emu.faults.add({ kind: "latency", latencyMs: 150, rpc: "ListSCMIntegrations" });
    let started = performance.now();
    await ok(emu, "ListSCMIntegrations", {});
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    started = performance.now();
    await ok(emu, ...SCHEMA);
    expect(performance.now() - started).toBeLessThan(140);
  });

  it("delays after committing with after: true", async () => {
    emu.faults.add({ kind: "latency", latencyMs: 300, rpc: "CreateSCMIntegration", after: true });
    const pending = call(emu, ...CREATE_SCM);
    // Inside the 300 ms the answer is held back: the create is already there.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(emu.state.scmIntegrations.size).toBe(1);
    expect((await pending).status).toBe(200);
  });

  it("can be given to startEmulator", async () => {
    const slow = await startEmulator({
      faults: [{ kind: "status", status: 429, retryAfterSeconds: 1, times: 1 }],
    });
    try {
      expect((await call(slow, ...SCHEMA)).status).toBe(429);
    } finally {
      await slow.close();
    }
  });
});
