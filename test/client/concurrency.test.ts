import { describe, expect, it } from "vitest";
import { json } from "./raw-server.js";
import { clientFor, rawServer } from "./setup.js";

/** Answers every request after `ms`, so parallel calls overlap at the server. */
async function slowServer(ms: number) {
  return rawServer((_req, res) => {
    setTimeout(() => json(res, 200, { schema: { version: "1" } }), ms);
  });
}

describe("the connection pool", () => {
  it("reuses keep-alive connections for calls made one after another", async () => {
    const server = await slowServer(0);
    const client = clientFor(server.url, "t");
    for (let i = 0; i < 10; i++) await client.schema.get({ runnerId: "r" });
    expect(server.requests).toHaveLength(10);
    // undici may open a second socket while the first is still being released; never one per call.
    expect(server.connections).toBeLessThanOrEqual(2);
  });

  it("serves parallel calls over up to 16 connections by default", async () => {
    const server = await slowServer(30);
    const client = clientFor(server.url, "t");
    const results = await Promise.all(Array.from({ length: 40 }, () => client.schema.get({ runnerId: "r" })));
    expect(results.every((schema) => schema?.version === "1")).toBe(true);
    expect(server.maxInFlight).toBeGreaterThan(4);
    expect(server.maxInFlight).toBeLessThanOrEqual(16);
    expect(server.connections).toBeLessThanOrEqual(16);
  });

  it("keeps to the configured number of connections", async () => {
    const server = await slowServer(20);
    const client = clientFor(server.url, "t", { connections: 2 });
    await Promise.all(Array.from({ length: 10 }, () => client.schema.get({ runnerId: "r" })));
    expect(server.requests).toHaveLength(10);
    expect(server.maxInFlight).toBe(2);
    expect(server.connections).toBe(2);
  });
});
