import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GITHUB_OAUTH_CLIENT_ID, RUNNER_EU_ID, RUNNER_US_ID } from "../emulator/fixtures.js";
import { call, ok } from "../emulator/helpers.js";
import { type Emulator, startEmulator } from "../emulator/index.js";

const SECRET_CANARY = "canary-client-secret-7f3a9";
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.state.reset());

function github(overrides: Record<string, unknown> = {}) {
  return {
    runnerId: RUNNER_EU_ID,
    scmId: "github",
    host: "github.com",
    oauthClientId: GITHUB_OAUTH_CLIENT_ID,
    oauthPlaintextClientSecret: SECRET_CANARY,
    pat: true,
    ...overrides,
  };
}

describe("CreateSCMIntegration / GetSCMIntegration", () => {
  it("stores the client secret only as ciphertext under the runner's key", async () => {
    const { id } = await ok(emu, "CreateSCMIntegration", github());
    const got = await call(emu, "GetSCMIntegration", { id });
    expect(got.json.integration).toMatchObject({
      id,
      runnerId: RUNNER_EU_ID,
      scmId: "github",
      host: "github.com",
      pat: true,
      oauth: { clientId: GITHUB_OAUTH_CLIENT_ID },
    });
    const ciphertext: string = got.json.integration.oauth.encryptedClientSecret;
    expect(ciphertext).not.toBe(SECRET_CANARY);
    expect(Buffer.from(ciphertext, "base64")).toHaveLength(256); // RSA-2048
    expect(got.text).not.toContain(SECRET_CANARY);
    expect(emu.state.decryptClientSecret(id)).toBe(SECRET_CANARY);
    expect(emu.state.decryptForRunner(RUNNER_US_ID, ciphertext)).toBeUndefined();
    expect(JSON.stringify([...emu.state.scmIntegrations.values()])).not.toContain(SECRET_CANARY);
  });

  it("does not check OAuth credentials with the SCM on create", async () => {
    const { id } = await ok(emu, "CreateSCMIntegration", github({ oauthClientId: "unknown-app" }));
    expect(emu.state.scmIntegrations.get(id)?.oauth?.clientId).toBe("unknown-app");
  });

  it("omits oauth when OAuth is not configured", async () => {
    const { id } = await ok(emu, "CreateSCMIntegration", {
      runnerId: RUNNER_EU_ID,
      scmId: "gitlab",
      host: "gitlab.com",
      pat: true,
    });
    const { integration } = await ok(emu, "GetSCMIntegration", { id });
    expect(integration).not.toHaveProperty("oauth");
  });

  it("answers already_exists for a second integration of the same runner and host", async () => {
    await ok(emu, "CreateSCMIntegration", github());
    const again = await call(emu, "CreateSCMIntegration", github({ host: "GitHub.com" }));
    expect(again.status).toBe(409);
    expect(again.json.code).toBe("already_exists");
    await ok(emu, "CreateSCMIntegration", github({ runnerId: RUNNER_US_ID }));
    expect(emu.state.scmIntegrations.size).toBe(2);
  });

  it.each([
    ["a host with a scheme", { host: "https://github.com" }, "host"],
    ["a host with a path", { host: "github.com/org" }, "host"],
    ["an unknown scmId", { scmId: "gitea" }, "scmId"],
    ["a client id without a secret", { oauthPlaintextClientSecret: undefined }, "oauth"],
    ["a virtual directory for github", { virtualDirectory: "/tfs" }, "host"],
    ["an issuer URL that is not a URL", { issuerUrl: "not a url" }, "oauth"],
  ])("rejects %s with invalid_argument", async (_, override, field) => {
    const result = await call(emu, "CreateSCMIntegration", github(override));
    expect(result.status).toBe(400);
    expect(result.json.code).toBe("invalid_argument");
    expect(result.json.message).toContain(field);
    expect(result.text).not.toContain(SECRET_CANARY);
    expect(emu.state.scmIntegrations.size).toBe(0);
  });

  it("accepts a virtual directory for Azure DevOps Server and a host with a port", async () => {
    const { id } = await ok(emu, "CreateSCMIntegration", {
      runnerId: RUNNER_EU_ID,
      scmId: "azure-devops-server",
      host: "devops.example.com:8443",
      virtualDirectory: "/tfs",
      pat: true,
    });
    expect((await ok(emu, "GetSCMIntegration", { id })).integration.virtualDirectory).toBe("/tfs");
  });

  it("answers not_found for an unknown runner and a missing id", async () => {
    expect((await call(emu, "CreateSCMIntegration", github({ runnerId: crypto.randomUUID() }))).status).toBe(
      404,
    );
    expect((await call(emu, "GetSCMIntegration", { id: crypto.randomUUID() })).status).toBe(404);
    expect((await call(emu, "DeleteSCMIntegration", { id: crypto.randomUUID() })).status).toBe(404);
    expect((await call(emu, "UpdateSCMIntegration", { id: crypto.randomUUID(), pat: true })).status).toBe(
      404,
    );
  });
});

describe("UpdateSCMIntegration", () => {
  function seedTokens(host: string) {
    const { state } = emu;
    return {
      oauth: state.seedHostToken({
        runnerId: RUNNER_EU_ID,
        host,
        source: "HOST_AUTHENTICATION_TOKEN_SOURCE_OAUTH",
      }),
      pat: state.seedHostToken({
        runnerId: RUNNER_EU_ID,
        host,
        source: "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT",
      }),
      otherHost: state.seedHostToken({
        runnerId: RUNNER_EU_ID,
        host: "gitlab.com",
        source: "HOST_AUTHENTICATION_TOKEN_SOURCE_OAUTH",
      }),
      otherRunner: state.seedHostToken({
        runnerId: RUNNER_US_ID,
        host,
        source: "HOST_AUTHENTICATION_TOKEN_SOURCE_OAUTH",
      }),
    };
  }

  it('removes OAuth and the runner+host OAuth tokens on oauthClientId ""', async () => {
    const integration = emu.state.seedScmIntegration({
      runnerId: RUNNER_EU_ID,
      scmId: "github",
      host: "github.com",
      oauthClientId: "app",
      oauthClientSecret: "s",
      pat: true,
    });
    const tokens = seedTokens("github.com");
    await ok(emu, "UpdateSCMIntegration", {
      id: integration.id,
      oauthClientId: "",
      oauthPlaintextClientSecret: "ignored",
    });
    expect(emu.state.scmIntegrations.get(integration.id)?.oauth).toBeUndefined();
    expect(emu.state.hostTokens.has(tokens.oauth.id)).toBe(false);
    expect(emu.state.hostTokens.has(tokens.pat.id)).toBe(true);
    expect(emu.state.hostTokens.has(tokens.otherHost.id)).toBe(true);
    expect(emu.state.hostTokens.has(tokens.otherRunner.id)).toBe(true);
    const { integration: read } = await ok(emu, "GetSCMIntegration", { id: integration.id });
    expect(read).not.toHaveProperty("oauth");
  });

  it("deletes the runner+host PAT tokens on pat: false", async () => {
    const integration = emu.state.seedScmIntegration({
      runnerId: RUNNER_EU_ID,
      scmId: "github",
      host: "github.com",
      pat: true,
    });
    const tokens = seedTokens("github.com");
    await ok(emu, "UpdateSCMIntegration", { id: integration.id, pat: false });
    expect(emu.state.scmIntegrations.get(integration.id)?.pat).toBe(false);
    expect(emu.state.hostTokens.has(tokens.pat.id)).toBe(false);
    expect(emu.state.hostTokens.has(tokens.oauth.id)).toBe(true);
  });

  it("rotates the client secret: new ciphertext, same client id, no token deleted", async () => {
    const integration = emu.state.seedScmIntegration({
      runnerId: RUNNER_EU_ID,
      scmId: "github",
      host: "github.com",
      oauthClientId: "app",
      oauthClientSecret: "old-secret",
    });
    const before = integration.oauth?.encryptedClientSecret;
    const tokens = seedTokens("github.com");
    await ok(emu, "UpdateSCMIntegration", { id: integration.id, oauthPlaintextClientSecret: SECRET_CANARY });
    const after = emu.state.scmIntegrations.get(integration.id)?.oauth;
    expect(after?.clientId).toBe("app");
    expect(after?.encryptedClientSecret).not.toBe(before);
    expect(emu.state.decryptClientSecret(integration.id)).toBe(SECRET_CANARY);
    expect(emu.state.hostTokens.size).toBe(Object.keys(tokens).length);
  });

  it("requires a secret with a new client id and applies nothing on error", async () => {
    const integration = emu.state.seedScmIntegration({
      runnerId: RUNNER_EU_ID,
      scmId: "github",
      host: "github.com",
      oauthClientId: "app",
      oauthClientSecret: "s",
    });
    const result = await call(emu, "UpdateSCMIntegration", {
      id: integration.id,
      oauthClientId: "other-app",
      pat: true,
    });
    expect(result.status).toBe(400);
    expect(emu.state.scmIntegrations.get(integration.id)).toMatchObject({
      pat: false,
      oauth: { clientId: "app" },
    });
  });

  it("rejects a secret when no OAuth client id is configured", async () => {
    const integration = emu.state.seedScmIntegration({
      runnerId: RUNNER_EU_ID,
      scmId: "github",
      host: "github.com",
    });
    const result = await call(emu, "UpdateSCMIntegration", {
      id: integration.id,
      oauthPlaintextClientSecret: SECRET_CANARY,
    });
    expect(result.status).toBe(400);
    expect(result.text).not.toContain(SECRET_CANARY);
  });

  it("rejects a virtual directory for a provider other than Azure DevOps Server", async () => {
    const integration = emu.state.seedScmIntegration({
      runnerId: RUNNER_EU_ID,
      scmId: "gitlab",
      host: "gitlab.com",
    });
    expect(
      (await call(emu, "UpdateSCMIntegration", { id: integration.id, virtualDirectory: "/tfs" })).status,
    ).toBe(400);
  });
});

describe("DeleteSCMIntegration / ListSCMIntegrations", () => {
  it("deletes, frees the host for a new integration, and filters lists by runner ids", async () => {
    const eu = await ok(emu, "CreateSCMIntegration", github());
    const us = await ok(emu, "CreateSCMIntegration", github({ runnerId: RUNNER_US_ID }));
    const listed = await ok(emu, "ListSCMIntegrations", { filter: { runnerIds: [RUNNER_US_ID] } });
    expect(listed.integrations.map((i: { id: string }) => i.id)).toEqual([us.id]);
    expect((await ok(emu, "ListSCMIntegrations", {})).integrations).toHaveLength(2);

    expect(await ok(emu, "DeleteSCMIntegration", { id: eu.id })).toEqual({});
    expect((await call(emu, "GetSCMIntegration", { id: eu.id })).status).toBe(404);
    await ok(emu, "CreateSCMIntegration", github());
  });
});
