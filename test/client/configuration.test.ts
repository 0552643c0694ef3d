import { Agent, EnvHttpProxyAgent } from "undici";
import { describe, expect, it, vi } from "vitest";
import { DEFAULT_BASE_URL, GitpodApiError, GitpodClient } from "../../shared/api/index.js";
import { createDispatcher, proxySettingsOf, USER_AGENT } from "../../shared/api/transport.js";
import { RUNNER_EU_ID } from "../emulator/index.js";
import { startForwardProxy } from "./forward-proxy.js";
import { json } from "./raw-server.js";
import { clientFor, emulator, onCleanup, rawServer, rejectionOf } from "./setup.js";

describe("base URL and token", () => {
  it("reads GITPOD_BASE_URL and GITPOD_API_KEY from the process environment by default", async () => {
    const emu = await emulator();
    vi.stubEnv("GITPOD_BASE_URL", emu.url);
    vi.stubEnv("GITPOD_API_KEY", emu.token);
    // A proxy configured on the test machine must not carry this call elsewhere.
    for (const name of ["HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"]) vi.stubEnv(name, "");
    onCleanup(async () => {
      vi.unstubAllEnvs();
    });
    const client = new GitpodClient();
    onCleanup(() => client.close());
    expect(client.baseUrl).toBe(emu.url);
    await expect(client.schema.get({ runnerId: RUNNER_EU_ID })).resolves.toHaveProperty("scm");
    expect(emu.requests.count("GetRunnerConfigurationSchema")).toBe(1);
  });

  it("prefers options over the environment", async () => {
    const emu = await emulator();
    const client = new GitpodClient({
      baseUrl: emu.url,
      apiKey: emu.token,
      env: { GITPOD_BASE_URL: "http://127.0.0.1:9", GITPOD_API_KEY: "not-this-one" },
    });
    onCleanup(() => client.close());
    await expect(client.schema.get({ runnerId: RUNNER_EU_ID })).resolves.toHaveProperty("scm");
  });

  it("defaults to Ona's API, and names both token variables when no token is given", async () => {
    expect(() => new GitpodClient({ env: {} })).toThrow(
      "No Gitpod API token: pass apiKey or set the ONA_API_KEY (or the legacy GITPOD_API_KEY) environment variable.",
    );
    const client = new GitpodClient({ env: { GITPOD_API_KEY: "x" } });
    expect(client.baseUrl).toBe(DEFAULT_BASE_URL);
    expect(DEFAULT_BASE_URL).toBe("https://app.ona.com/api");
    await client.close();
  });

  it("rejects a base URL that is not http(s) and options out of range", () => {
    expect(() => new GitpodClient({ apiKey: "x", baseUrl: "ftp://example.com" })).toThrow(/base URL/);
    expect(() => new GitpodClient({ apiKey: "x", baseUrl: "not a url" })).toThrow(/base URL/);
    expect(() => new GitpodClient({ apiKey: "x", env: {}, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => new GitpodClient({ apiKey: "x", env: {}, maxRetries: -1 })).toThrow(/maxRetries/);
    expect(() => new GitpodClient({ apiKey: "x", env: {}, connections: 0 })).toThrow(/connections/);
  });
});

describe("the wire", () => {
  it("POSTs camelCase JSON to {baseUrl}/gitpod.v1.RunnerConfigurationService/{Method} with Connect headers", async () => {
    const server = await rawServer((_req, res) => json(res, 200, {}));
    const client = clientFor(`${server.url}/api/`, "wire-token");
    await client.scmIntegrations.update({
      id: "abc",
      oauthClientId: "",
      pat: false,
      virtualDirectory: "/tfs",
    });
    const [request] = server.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/api/gitpod.v1.RunnerConfigurationService/UpdateSCMIntegration");
    expect(request?.headers.authorization).toBe("Bearer wire-token");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["connect-protocol-version"]).toBe("1");
    expect(request?.headers["user-agent"]).toBe(USER_AGENT);
    expect(USER_AGENT).toMatch(/^gitpod-runner-config\//);
    expect(JSON.parse(request?.body ?? "")).toEqual({
      id: "abc",
      oauthClientId: "",
      pat: false,
      virtualDirectory: "/tfs",
    });
  });

  it("checks the request against its schema before sending, naming the field", async () => {
    const server = await rawServer((_req, res) => json(res, 200, {}));
    const client = clientFor(server.url, "t");
    const error = await rejectionOf(
      // @ts-expect-error: a wrong type on purpose, as an untyped caller could send it
      client.environmentClasses.update({ environmentClassId: "x", enabled: "yes" }),
    );
    expect(error).toBeInstanceOf(GitpodApiError);
    expect(error).toMatchObject({
      code: "invalid_argument",
      rpc: "UpdateEnvironmentClass",
      status: undefined,
    });
    expect((error as Error).message).toMatch(
      /^UpdateEnvironmentClass failed: invalid_argument: request field enabled: /,
    );
    expect(server.requests).toHaveLength(0);
  });
});

describe("proxies", () => {
  it("picks a proxy-aware agent only when a proxy variable is set", async () => {
    expect(proxySettingsOf({})).toBeUndefined();
    expect(proxySettingsOf({ https_proxy: "http://p:3128", no_proxy: "internal" })).toEqual({
      httpProxy: "",
      httpsProxy: "http://p:3128",
      noProxy: "internal",
    });
    const proxied = createDispatcher({ HTTPS_PROXY: "http://127.0.0.1:3128", NO_PROXY: "127.0.0.1" }, 4);
    const direct = createDispatcher({}, 4);
    expect(proxied).toBeInstanceOf(EnvHttpProxyAgent);
    expect(direct).toBeInstanceOf(Agent);
    expect(direct).not.toBeInstanceOf(EnvHttpProxyAgent);
    await proxied.close();
    await direct.close();
  });

  it("sends requests through HTTP_PROXY", async () => {
    const emu = await emulator();
    const proxy = await startForwardProxy();
    onCleanup(() => proxy.close());
    const target = emu.url.replace("127.0.0.1", "localhost");
    const client = clientFor(target, emu.token, { env: { HTTP_PROXY: proxy.url } });
    await expect(client.schema.get({ runnerId: RUNNER_EU_ID })).resolves.toHaveProperty("scm");
    expect(proxy.seen).toEqual([
      `${target}/gitpod.v1.RunnerConfigurationService/GetRunnerConfigurationSchema`,
    ]);
  });

  it("goes straight to hosts listed in NO_PROXY", async () => {
    const emu = await emulator();
    const proxy = await startForwardProxy();
    onCleanup(() => proxy.close());
    const client = clientFor(emu.url, emu.token, {
      env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NO_PROXY: "example.com,127.0.0.1" },
      maxRetries: 0,
    });
    await expect(client.schema.get({ runnerId: RUNNER_EU_ID })).resolves.toHaveProperty("scm");
    expect(proxy.seen).toEqual([]);
    expect(emu.requests.count("GetRunnerConfigurationSchema")).toBe(1);
  });
});

describe("close()", () => {
  it("closes the pool; later calls fail without a request", async () => {
    const emu = await emulator();
    const client = clientFor(emu.url, emu.token);
    await client.schema.get({ runnerId: RUNNER_EU_ID });
    await client.close();
    const error = await rejectionOf(client.schema.get({ runnerId: RUNNER_EU_ID }));
    expect(error).toMatchObject({ code: "failed_precondition", retryable: false });
    expect((error as Error).message).toContain("closed");
    expect(emu.requests.count()).toBe(1);
  });
});
