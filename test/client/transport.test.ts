import { inspect } from "node:util";
import { EnvHttpProxyAgent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { GitpodApiError, GitpodClient } from "../../shared/api/index.js";
import { createDispatcher } from "../../shared/api/transport.js";
import { type Emulator, GITHUB_OAUTH_CLIENT_ID, RUNNER_EU_ID, startEmulator } from "../emulator/index.js";
import { json, type RawServer, startRawServer } from "./raw-server.js";

const fast = { retryBaseDelayMs: 1, retryMaxDelayMs: 20 };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function emulator(): Promise<Emulator> {
  const emu = await startEmulator();
  cleanups.push(() => emu.close());
  return emu;
}
function clientFor(
  url: string,
  apiKey: string,
  extra: Partial<ConstructorParameters<typeof GitpodClient>[0]> = {},
) {
  const client = new GitpodClient({ baseUrl: url, apiKey, ...fast, ...extra });
  cleanups.push(() => client.close());
  return client;
}
async function raw(script: Parameters<typeof startRawServer>[0]): Promise<RawServer> {
  const server = await startRawServer(script);
  cleanups.push(() => server.close());
  return server;
}

describe("configuration", () => {
  it("reads GITPOD_BASE_URL and GITPOD_API_KEY when no options are given", async () => {
    const emu = await emulator();
    const client = new GitpodClient({ env: { GITPOD_BASE_URL: emu.url, GITPOD_API_KEY: emu.token } });
    cleanups.push(() => client.close());
    expect(client.baseUrl).toBe(emu.url);
    await expect(client.schema.get({ runnerId: RUNNER_EU_ID })).resolves.toBeTruthy();
  });

  it("defaults to the public API and names GITPOD_API_KEY when the token is missing", () => {
    expect(() => new GitpodClient({ env: {} })).toThrow(/GITPOD_API_KEY/);
    const client = new GitpodClient({ env: { GITPOD_API_KEY: "x" } });
    expect(client.baseUrl).toBe("https://app.gitpod.io/api");
    void client.close();
  });

  it("uses a proxy agent when HTTPS_PROXY is set, and a plain pool otherwise", () => {
    const proxied = createDispatcher({ HTTPS_PROXY: "http://127.0.0.1:3128", NO_PROXY: "127.0.0.1" }, 4);
    expect(proxied).toBeInstanceOf(EnvHttpProxyAgent);
    const direct = createDispatcher({}, 4);
    expect(direct).not.toBeInstanceOf(EnvHttpProxyAgent);
    void proxied.close();
    void direct.close();
  });

  it("goes straight to hosts listed in NO_PROXY even when a proxy is configured", async () => {
    const emu = await emulator();
    // The proxy port is closed: a request through it would fail.
    const client = clientFor(emu.url, emu.token, {
      env: { HTTPS_PROXY: "http://127.0.0.1:9", HTTP_PROXY: "http://127.0.0.1:9", NO_PROXY: "127.0.0.1" },
      maxRetries: 0,
    });
    await expect(client.schema.get({ runnerId: RUNNER_EU_ID })).resolves.toBeTruthy();
  });
});

describe("retries", () => {
  it("honours Retry-After on 429 and then succeeds", async () => {
    const emu = await emulator();
    emu.faults.add({
      kind: "status",
      status: 429,
      retryAfterSeconds: 0.3,
      rpc: "GetRunnerConfigurationSchema",
      nth: 1,
    });
    const client = clientFor(emu.url, emu.token);
    const started = performance.now();
    await client.schema.get({ runnerId: RUNNER_EU_ID });
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
    expect(emu.requests.count("GetRunnerConfigurationSchema")).toBe(2);
  });

  it("retries 503 and connection resets for reads", async () => {
    const emu = await emulator();
    emu.faults.add({ kind: "status", status: 503, rpc: "ListSCMIntegrations", nth: 1 });
    emu.faults.add({ kind: "reset", rpc: "ListSCMIntegrations", nth: 2 });
    const client = clientFor(emu.url, emu.token);
    await expect(client.scmIntegrations.list().toArray()).resolves.toEqual([]);
    expect(emu.requests.count("ListSCMIntegrations")).toBe(3);
  });

  it("gives up when the retry budget is spent, with a retryable error", async () => {
    const emu = await emulator();
    emu.faults.add({ kind: "status", status: 503, rpc: "GetRunnerConfigurationSchema", times: 10 });
    const client = clientFor(emu.url, emu.token, { maxRetries: 2 });
    const error = await client.schema.get({ runnerId: RUNNER_EU_ID }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "unavailable", status: 503, retryable: true, outcomeUnknown: false });
    expect(emu.requests.count("GetRunnerConfigurationSchema")).toBe(3);
  });

  it("retries a create that the server refused with 429 (the outcome is known)", async () => {
    const emu = await emulator();
    emu.faults.add({ kind: "status", status: 429, rpc: "CreateEnvironmentClass", nth: 1 });
    const client = clientFor(emu.url, emu.token);
    await client.environmentClasses.create({
      runnerId: RUNNER_EU_ID,
      displayName: "Retry me",
      configuration: [{ key: "instanceType", value: "m6i.large" }],
    });
    expect(emu.state.environmentClasses.size).toBe(1);
  });

  it("does not retry a create whose connection reset after it was committed: outcome unknown", async () => {
    const emu = await emulator();
    emu.faults.add({ kind: "reset", rpc: "CreateSCMIntegration", nth: 1, after: true });
    const client = clientFor(emu.url, emu.token);
    const error = await client.scmIntegrations
      .create({ runnerId: RUNNER_EU_ID, scmId: "gitlab", host: "gitlab.com", pat: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitpodApiError);
    expect(error).toMatchObject({ outcomeUnknown: true, rpc: "CreateSCMIntegration" });
    expect((error as Error).message).toMatch(/may or may not have happened/);
    expect(emu.requests.count("CreateSCMIntegration")).toBe(1);
    expect(emu.state.scmIntegrations.size).toBe(1);
  });

  it("times out a hanging create without retrying it", async () => {
    const emu = await emulator();
    emu.faults.add({ kind: "hang", rpc: "CreateEnvironmentClass", nth: 1, after: true });
    const client = clientFor(emu.url, emu.token, { timeoutMs: 150 });
    const error = await client.environmentClasses
      .create({
        runnerId: RUNNER_EU_ID,
        displayName: "Hang",
        configuration: [{ key: "instanceType", value: "m6i.large" }],
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "deadline_exceeded", outcomeUnknown: true, status: undefined });
    expect(emu.requests.count("CreateEnvironmentClass")).toBe(1);
  });

  it("retries a read that timed out", async () => {
    const emu = await emulator();
    emu.faults.add({ kind: "hang", rpc: "GetRunnerConfigurationSchema", nth: 1 });
    const client = clientFor(emu.url, emu.token, { timeoutMs: 150 });
    await expect(client.schema.get({ runnerId: RUNNER_EU_ID })).resolves.toBeTruthy();
    expect(emu.requests.count("GetRunnerConfigurationSchema")).toBe(2);
  });

  it("stops at once when the caller aborts", async () => {
    const emu = await emulator();
    emu.faults.add({ kind: "hang", rpc: "GetRunnerConfigurationSchema", nth: 1 });
    const client = clientFor(emu.url, emu.token);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await client.schema
      .get({ runnerId: RUNNER_EU_ID }, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "canceled", retryable: false });
    expect(emu.requests.count("GetRunnerConfigurationSchema")).toBe(1);
  });
});

describe("responses", () => {
  it("reports a malformed response with the field path", async () => {
    const server = await raw((_req, res) =>
      json(res, 200, {
        integrations: [
          { id: "a", runnerId: "r" },
          { id: 7, runnerId: "r" },
        ],
      }),
    );
    const client = clientFor(server.url, "t");
    const error = await client.scmIntegrations
      .list()
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ rpc: "ListSCMIntegrations", code: "internal" });
    expect((error as Error).message).toContain("integrations[1].id");
  });

  it("tolerates unknown fields and unknown enum values", async () => {
    const server = await raw((_req, res) =>
      json(res, 200, {
        tokens: [
          {
            id: "t1",
            source: "HOST_AUTHENTICATION_TOKEN_SOURCE_FUTURE",
            newField: { x: 1 },
            subject: { principal: "PRINCIPAL_ALIEN" },
          },
        ],
        pagination: {},
        somethingNew: true,
      }),
    );
    const client = clientFor(server.url, "t");
    const tokens = await client.hostAuthenticationTokens.list().toArray();
    expect(tokens).toEqual([
      {
        id: "t1",
        source: "HOST_AUTHENTICATION_TOKEN_SOURCE_FUTURE",
        subject: { principal: "PRINCIPAL_ALIEN" },
      },
    ]);
  });

  it("maps a non-JSON error page from a proxy by its HTTP status", async () => {
    const server = await raw((_req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html>Bad Gateway</html>");
    });
    const client = clientFor(server.url, "t", { maxRetries: 1 });
    const error = await client.schema.get({ runnerId: "r" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "unavailable", status: 502, retryable: true });
    expect(server.requests).toHaveLength(2);
  });

  it("stops paging when the server repeats a page token", async () => {
    const server = await raw((_req, res) =>
      json(res, 200, { environmentClasses: [{ id: "x", runnerId: "r" }], pagination: { nextToken: "same" } }),
    );
    const client = clientFor(server.url, "t");
    const error = await client.environmentClasses
      .list()
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "internal" });
    expect((error as Error).message).toMatch(/repeated a page token/);
    expect(server.requests.length).toBeLessThanOrEqual(3);
  });
});

describe("secrets", () => {
  const canaries = {
    apiKey: "api-key-canary-9f3e",
    clientSecret: "oauth-secret-canary-71ab",
    token: "gho_token_canary_55c1",
    refreshToken: "ghr_refresh_canary_0d2e",
  };

  function expectNoCanary(text: string) {
    for (const value of Object.values(canaries)) expect(text).not.toContain(value);
  }

  it("keeps secrets out of every string form of an error, even when the server echoes them", async () => {
    const server = await raw((req, res) =>
      json(res, 400, {
        code: "invalid_argument",
        message: `bad request ${req.body} Bearer ${canaries.apiKey}`,
      }),
    );
    const lines: string[] = [];
    const client = clientFor(server.url, canaries.apiKey, {
      logger: { debug: (message, fields) => lines.push(`${message} ${JSON.stringify(fields)}`) },
    });
    const calls = [
      client.scmIntegrations.create({
        runnerId: RUNNER_EU_ID,
        scmId: "github",
        host: "github.com",
        oauthClientId: GITHUB_OAUTH_CLIENT_ID,
        oauthPlaintextClientSecret: canaries.clientSecret,
      }),
      client.hostAuthenticationTokens.create({
        runnerId: RUNNER_EU_ID,
        host: "github.com",
        token: canaries.token,
        refreshToken: canaries.refreshToken,
      }),
    ];
    for (const call of calls) {
      const error = await call.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitpodApiError);
      const err = error as GitpodApiError;
      expectNoCanary(String(err));
      expectNoCanary(err.message);
      expectNoCanary(err.stack ?? "");
      expectNoCanary(JSON.stringify(err));
      expectNoCanary(inspect(err, { depth: 10 }));
    }
    expect(lines.length).toBeGreaterThan(0);
    expectNoCanary(lines.join("\n"));
  });

  it("keeps secrets out of network failures and timeouts", async () => {
    const emu = await emulator();
    emu.faults.add({ kind: "reset", rpc: "CreateSCMIntegration", nth: 1 });
    const client = clientFor(emu.url, canaries.apiKey);
    const error = await client.scmIntegrations
      .create({
        runnerId: RUNNER_EU_ID,
        scmId: "github",
        host: "github.com",
        oauthClientId: "x",
        oauthPlaintextClientSecret: canaries.clientSecret,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitpodApiError);
    expectNoCanary(inspect(error, { depth: 10 }));
    expectNoCanary(JSON.stringify(error));
  });
});
