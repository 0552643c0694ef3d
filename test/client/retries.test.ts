import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { GitpodApiError } from "../../shared/api/index.js";
import { RUNNER_EU_ID } from "../emulator/index.js";
import { waitUntil } from "../support/wait.js";
import { json } from "./raw-server.js";
import { clientFor, emulator, rawServer, rejectionOf } from "./setup.js";

const CLASS = {
  runnerId: RUNNER_EU_ID,
  displayName: "Retry me",
  // The service's rules require a description on create (3..200 characters).
  description: "made by the retry tests",
  configuration: [{ key: "instanceType", value: "m6i.large" }],
};

function recordingLogger() {
  const lines: Array<{ message: string; fields: Record<string, unknown> }> = [];
  return { lines, logger: { debug: (message: string, fields = {}) => lines.push({ message, fields }) } };
}

/** A port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("retries of idempotent calls", () => {
  it("waits at least Retry-After (seconds) after a 429, then succeeds", async () => {
    const emu = await emulator();
    emu.faults.add({
      kind: "status",
      status: 429,
      retryAfterSeconds: 0.3,
      rpc: "GetRunnerConfigurationSchema",
      nth: 1,
    });
    const { lines, logger } = recordingLogger();
    const client = clientFor(emu.url, emu.token, { logger });
    await client.schema.get({ runnerId: RUNNER_EU_ID });
    const [first, second] = emu.requests.all("GetRunnerConfigurationSchema");
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(290);
    expect(lines.map((line) => line.fields)).toEqual([
      expect.objectContaining({
        rpc: "GetRunnerConfigurationSchema",
        attempt: 0,
        status: 429,
        retryInMs: 300,
      }),
      expect.objectContaining({ rpc: "GetRunnerConfigurationSchema", attempt: 1, status: 200 }),
    ]);
    expect(typeof lines[0]?.fields.durationMs).toBe("number");
  });

  it("honours Retry-After on a 503 too", async () => {
    const server = await rawServer((req, res) =>
      req.count === 1
        ? json(res, 503, { code: "unavailable", message: "draining" }, { "retry-after": "0.2" })
        : json(res, 200, { schema: {} }),
    );
    const client = clientFor(server.url, "t");
    const started = performance.now();
    await client.schema.get({ runnerId: "r" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(server.requests).toHaveLength(2);
  });

  it("retries a 503 and then a connection reset, then succeeds", async () => {
    const emu = await emulator();
    emu.faults.add({ kind: "status", status: 503, rpc: "ListSCMIntegrations", nth: 1 });
    emu.faults.add({ kind: "reset", rpc: "ListSCMIntegrations", nth: 2 });
    const client = clientFor(emu.url, emu.token);
    await expect(client.scmIntegrations.list().toArray()).resolves.toEqual([]);
    expect(emu.requests.count("ListSCMIntegrations")).toBe(3);
  });

  it("retries updates and deletes after a reset: they are idempotent", async () => {
    const emu = await emulator();
    const client = clientFor(emu.url, emu.token);
    const id = required(
      (
        await client.scmIntegrations.create({
          runnerId: RUNNER_EU_ID,
          scmId: "gitlab",
          host: "gitlab.com",
          pat: true,
        })
      ).id,
    );
    emu.faults.add({ kind: "reset", rpc: "UpdateSCMIntegration", nth: 1, after: true });
    emu.faults.add({ kind: "reset", rpc: "DeleteSCMIntegration", nth: 1, after: true });
    await client.scmIntegrations.update({ id, pat: false });
    expect(emu.requests.count("UpdateSCMIntegration")).toBe(2);
    expect((await client.scmIntegrations.get({ id })).pat).toBeFalsy();
    await client.scmIntegrations.delete({ id });
    expect(emu.requests.count("DeleteSCMIntegration")).toBe(2);
    expect(emu.state.scmIntegrations.size).toBe(0);
  });

  it("still reports not_found for a delete of something that was never there", async () => {
    const emu = await emulator();
    const client = clientFor(emu.url, emu.token);
    const error = await rejectionOf(
      client.scmIntegrations.delete({ id: "00000000-0000-4000-8000-000000000001" }),
    );
    expect(error).toMatchObject({ code: "not_found", status: 404 });
    expect(emu.requests.count("DeleteSCMIntegration")).toBe(1);
  });

  it("stops when the budget is spent, with the last error", async () => {
    const emu = await emulator();
    emu.faults.add({ kind: "status", status: 503, rpc: "GetRunnerConfigurationSchema", times: 10 });
    const client = clientFor(emu.url, emu.token, { maxRetries: 2 });
    const error = await rejectionOf(client.schema.get({ runnerId: RUNNER_EU_ID }));
    expect(error).toMatchObject({ code: "unavailable", status: 503, retryable: true, outcomeUnknown: false });
    expect(emu.requests.count("GetRunnerConfigurationSchema")).toBe(3);
  });

  it("does not retry errors that will not change (not_found, invalid_argument, internal)", async () => {
    const server = await rawServer((_req, res) => json(res, 500, { code: "internal", message: "boom" }));
    const client = clientFor(server.url, "t");
    await expect(client.schema.get({ runnerId: "r" })).rejects.toMatchObject({ code: "internal" });
    expect(server.requests).toHaveLength(1);
  });

  it("times out an attempt and retries a read", async () => {
    const emu = await emulator();
    emu.faults.add({ kind: "hang", rpc: "GetRunnerConfigurationSchema", nth: 1 });
    const client = clientFor(emu.url, emu.token, { timeoutMs: 150 });
    await expect(client.schema.get({ runnerId: RUNNER_EU_ID })).resolves.toHaveProperty("scm");
    expect(emu.requests.count("GetRunnerConfigurationSchema")).toBe(2);
  });

  it("takes a per-call timeout over the client's", async () => {
    const emu = await emulator();
    emu.faults.add({ kind: "hang", rpc: "GetRunnerConfigurationSchema" });
    const client = clientFor(emu.url, emu.token, { maxRetries: 0 });
    const started = performance.now();
    const error = await rejectionOf(client.schema.get({ runnerId: RUNNER_EU_ID }, { timeoutMs: 100 }));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error).toMatchObject({
      code: "deadline_exceeded",
      status: undefined,
      retryable: true,
      outcomeUnknown: false,
    });
    expect((error as Error).message).toContain("no answer within 100 ms");
  });

  it("keeps a redacted cause for network failures", async () => {
    const emu = await emulator();
    emu.faults.add({ kind: "reset", rpc: "GetRunnerConfigurationSchema" });
    const client = clientFor(emu.url, emu.token, { maxRetries: 0 });
    const error = await rejectionOf(client.schema.get({ runnerId: RUNNER_EU_ID }));
    expect(error).toMatchObject({ code: "unavailable", status: undefined, retryable: true });
    expect((error as Error).message).toMatch(
      /^GetRunnerConfigurationSchema failed: unavailable: network error: /,
    );
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});

describe("creates", () => {
  it("does not retry a create answered 429 or 503: a gateway may say so after the create committed", async () => {
    for (const status of [429, 503] as const) {
      const emu = await emulator();
      emu.faults.add({ kind: "status", status, rpc: "CreateEnvironmentClass", nth: 1, after: true });
      const client = clientFor(emu.url, emu.token);
      const error = await rejectionOf(client.environmentClasses.create(CLASS));
      expect(error).toMatchObject({ status, outcomeUnknown: true });
      expect((error as Error).message).toMatch(/may or may not have happened: re-read/);
      expect(emu.requests.count("CreateEnvironmentClass")).toBe(1);
      expect(emu.state.environmentClasses.size).toBe(1);
    }
  });

  it("does not retry a create whose connection reset after it was sent", async () => {
    const emu = await emulator();
    emu.faults.add({ kind: "reset", rpc: "CreateSCMIntegration", nth: 1, after: true });
    const client = clientFor(emu.url, emu.token);
    const error = await rejectionOf(
      client.scmIntegrations.create({
        runnerId: RUNNER_EU_ID,
        scmId: "gitlab",
        host: "gitlab.com",
        pat: true,
      }),
    );
    expect(error).toBeInstanceOf(GitpodApiError);
    expect(error).toMatchObject({
      code: "unavailable",
      outcomeUnknown: true,
      rpc: "CreateSCMIntegration",
      status: undefined,
    });
    expect((error as Error).message).toMatch(/may or may not have happened: re-read/);
    expect(emu.requests.count("CreateSCMIntegration")).toBe(1);
    expect(emu.state.scmIntegrations.size).toBe(1);
  });

  it("does not retry a create that timed out", async () => {
    const emu = await emulator();
    emu.faults.add({ kind: "hang", rpc: "CreateEnvironmentClass", nth: 1, after: true });
    const client = clientFor(emu.url, emu.token, { timeoutMs: 150 });
    const error = await rejectionOf(client.environmentClasses.create(CLASS));
    expect(error).toMatchObject({ code: "deadline_exceeded", outcomeUnknown: true, status: undefined });
    expect(emu.requests.count("CreateEnvironmentClass")).toBe(1);
  });

  it("does not retry a create answered by a gateway error (502): the backend may have run it", async () => {
    const server = await rawServer((_req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html>Bad Gateway</html>");
    });
    const client = clientFor(server.url, "t");
    const error = await rejectionOf(
      client.scmIntegrations.create({ runnerId: "r", scmId: "github", host: "github.com" }),
    );
    expect(error).toMatchObject({ code: "unavailable", status: 502, outcomeUnknown: true });
    expect(server.requests).toHaveLength(1);
  });

  it("retries a create whose connection was refused: it never left", async () => {
    const port = await closedPort();
    const { lines, logger } = recordingLogger();
    const client = clientFor(`http://127.0.0.1:${port}`, "t", { maxRetries: 2, logger });
    const error = await rejectionOf(client.environmentClasses.create(CLASS));
    expect(error).toMatchObject({ code: "unavailable", outcomeUnknown: false, retryable: true });
    expect((error as Error).message).toContain("ECONNREFUSED");
    expect(lines).toHaveLength(3);
  });
});

describe("cancellation", () => {
  it("stops at once when the caller aborts, without retrying", async () => {
    const emu = await emulator();
    emu.faults.add({ kind: "hang", rpc: "GetRunnerConfigurationSchema", nth: 1 });
    const client = clientFor(emu.url, emu.token);
    const controller = new AbortController();
    const pending = rejectionOf(client.schema.get({ runnerId: RUNNER_EU_ID }, { signal: controller.signal }));
    // Abort once the request hangs at the emulator (the hang is logged when it starts).
    await waitUntil(() => emu.requests.count("GetRunnerConfigurationSchema") === 1, {
      what: "the request to reach the emulator",
    });
    controller.abort();
    const error = await pending;
    expect(error).toMatchObject({ code: "canceled", retryable: false, outcomeUnknown: false });
    expect(emu.requests.count("GetRunnerConfigurationSchema")).toBe(1);
  });

  it("aborts a backoff wait", async () => {
    const server = await rawServer((_req, res) =>
      json(res, 503, { code: "unavailable", message: "later" }, { "retry-after": "5" }),
    );
    const controller = new AbortController();
    const client = clientFor(server.url, "t", {
      logger: {
        // The client logs the failed attempt just before it waits 5 s; abort a little way into that wait.
        debug: (_message, fields) => {
          if (fields?.retryInMs !== undefined) setTimeout(() => controller.abort(), 20);
        },
      },
    });
    const started = performance.now();
    const error = await rejectionOf(client.schema.get({ runnerId: "r" }, { signal: controller.signal }));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error).toMatchObject({ code: "canceled", outcomeUnknown: false });
    expect(server.requests).toHaveLength(1);
  });

  it("sends nothing when the signal is already aborted", async () => {
    const server = await rawServer((_req, res) => json(res, 200, {}));
    const client = clientFor(server.url, "t");
    const error = await rejectionOf(
      client.scmIntegrations.delete({ id: "x" }, { signal: AbortSignal.abort() }),
    );
    expect(error).toMatchObject({ code: "canceled" });
    expect(server.requests).toHaveLength(0);
  });

  it("says a create canceled in flight may or may not have happened", async () => {
    const emu = await emulator();
    emu.faults.add({ kind: "hang", rpc: "CreateEnvironmentClass", nth: 1, after: true });
    const client = clientFor(emu.url, emu.token);
    const controller = new AbortController();
    const pending = rejectionOf(client.environmentClasses.create(CLASS, { signal: controller.signal }));
    // Abort once the create has committed and hangs (the hang is logged when it starts).
    await waitUntil(() => emu.requests.count("CreateEnvironmentClass") === 1, {
      what: "the create to reach the emulator",
    });
    controller.abort();
    const error = await pending;
    expect(error).toMatchObject({ code: "canceled", outcomeUnknown: true });
    expect((error as Error).message).toMatch(/may or may not have happened/);
    expect(emu.state.environmentClasses.size).toBe(1);
  });
});

/** The emulator always answers a create's id; the spec merely allows it to be absent. */
function required(id: string | undefined): string {
  if (!id) throw new Error("the create answered no id");
  return id;
}

describe("neverRetryBlind", () => {
  it("ends the call when an attempt's answer is lost, and still retries one the server certainly refused", async () => {
    const emu = await emulator();
    const integration = emu.state.seedLlmIntegration({
      runnerId: RUNNER_EU_ID,
      endpoint: "https://llm.example",
    });
    const client = clientFor(emu.url, emu.token, { maxRetries: 3 });
    const update = { id: integration.id, apiKey: "canary-retry-key-1f2e" };

    emu.faults.add({ kind: "reset", rpc: "UpdateLLMIntegration", nth: 1, after: true });
    const lost = await rejectionOf(client.llmIntegrations.update(update, { neverRetryBlind: true }));
    expect(lost).toBeInstanceOf(GitpodApiError);
    expect(emu.requests.count("UpdateLLMIntegration")).toBe(1);

    // Without the option the same lost answer is retried (an update is idempotent).
    emu.faults.add({ kind: "reset", rpc: "UpdateLLMIntegration", nth: 1, after: true });
    await client.llmIntegrations.update(update);
    expect(emu.requests.count("UpdateLLMIntegration")).toBe(3);

    // A 429 was certainly not run: retried even with the option.
    emu.faults.add({ kind: "status", status: 429, rpc: "UpdateLLMIntegration", nth: 1 });
    await client.llmIntegrations.update(update, { neverRetryBlind: true });
    expect(emu.requests.count("UpdateLLMIntegration")).toBe(5);
  });
});
