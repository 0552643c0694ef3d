import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  GITHUB_OAUTH_CLIENT_ID,
  RUNNER_EU_ID,
  RUNNER_EU_NAME,
  RUNNER_US_ID,
  RUNNER_US_NAME,
} from "../emulator/fixtures.js";
import { call, ok } from "../emulator/helpers.js";
import { type Emulator, startEmulator } from "../emulator/index.js";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ token: "fixed-test-token" });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.state.reset();
  emu.requests.clear();
});

describe("state helpers", () => {
  it("starts with the two fixture runners and accepts the given token", async () => {
    expect(emu.token).toBe("fixed-test-token");
    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect([...emu.state.runners.values()].map((runner) => [runner.id, runner.name])).toEqual([
      [RUNNER_EU_ID, RUNNER_EU_NAME],
      [RUNNER_US_ID, RUNNER_US_NAME],
    ]);
    await ok(emu, "GetRunnerConfigurationSchema", { runnerId: RUNNER_US_ID });
  });

  it("adds runners that the API then knows", async () => {
    const id = emu.state.addRunner({ name: "gcp-asia" });
    const { schema } = await ok(emu, "GetRunnerConfigurationSchema", { runnerId: id });
    expect(schema.scm.map((scm: { scmId: string }) => scm.scmId)).toEqual([
      "github",
      "gitlab",
      "bitbucket",
      "azure-devops-server",
    ]);
    emu.state.reset();
    expect((await call(emu, "GetRunnerConfigurationSchema", { runnerId: id })).status).toBe(404);
  });

  it("seeds objects the API returns, encrypting seeded secrets", async () => {
    const environmentClass = emu.state.seedEnvironmentClass({
      runnerId: RUNNER_EU_ID,
      displayName: "Seeded",
    });
    const integration = emu.state.seedScmIntegration({
      runnerId: RUNNER_EU_ID,
      scmId: "github",
      host: "github.com",
      oauthClientId: GITHUB_OAUTH_CLIENT_ID,
      oauthClientSecret: "seeded-secret",
    });
    const token = emu.state.seedHostToken({
      runnerId: RUNNER_EU_ID,
      host: "github.com",
      source: "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT",
      expiresAt: new Date("2030-01-01T00:00:00Z"),
      integrationId: integration.id,
    });
    expect(integration.oauth?.encryptedClientSecret).not.toContain("seeded-secret");
    expect(emu.state.decryptClientSecret(integration.id)).toBe("seeded-secret");
    expect(
      (await ok(emu, "GetEnvironmentClass", { environmentClassId: environmentClass.id })).environmentClass
        .displayName,
    ).toBe("Seeded");
    expect((await ok(emu, "GetHostAuthenticationToken", { id: token.id })).token).toMatchObject({
      expiresAt: "2030-01-01T00:00:00Z",
      integrationId: integration.id,
      source: "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT",
    });
    expect(() =>
      emu.state.seedScmIntegration({ runnerId: RUNNER_EU_ID, scmId: "github", host: "github.com" }),
    ).toThrow(/already exists/);
    expect(() => emu.state.seedEnvironmentClass({ runnerId: "nope", displayName: "x" })).toThrow(
      /unknown runner/,
    );
  });

  it("gives each runner its own key", () => {
    const ciphertext = emu.state.encryptForRunner(RUNNER_EU_ID, "plain");
    expect(emu.state.encryptForRunner(RUNNER_EU_ID, "plain")).not.toBe(ciphertext); // OAEP is randomised
    expect(emu.state.decryptForRunner(RUNNER_EU_ID, ciphertext)).toBe("plain");
    expect(emu.state.decryptForRunner(RUNNER_US_ID, ciphertext)).toBeUndefined();
    expect(emu.state.decryptClientSecret("no-such-integration")).toBeUndefined();
  });

  it("manages OAuth apps", () => {
    emu.state.addOAuthApp({ host: "git.example.com", clientId: "app", secrets: ["a"] });
    emu.state.setOAuthAppSecrets("GIT.example.com", "app", ["b", "c"]);
    expect(emu.state.findOAuthApp("git.example.com", "app")?.secrets).toEqual(["b", "c"]);
    expect(() => emu.state.setOAuthAppSecrets("git.example.com", "other", [])).toThrow();
    emu.state.reset();
    expect(emu.state.findOAuthApp("git.example.com", "app")).toBeUndefined();
  });
});

describe("request log", () => {
  it("counts per RPC, lists writes and clears", async () => {
    await ok(emu, "ListSCMIntegrations", {});
    await ok(emu, "CreateEnvironmentClass", {
      runnerId: RUNNER_EU_ID,
      displayName: "Logged",
      configuration: [{ key: "instanceType", value: "m6i.large" }],
    });
    await call(emu, "UpdateEnvironmentClass", { environmentClassId: crypto.randomUUID(), enabled: true });
    await call(emu, "DeleteSCMIntegration", { id: crypto.randomUUID() });
    expect(emu.requests.count()).toBe(4);
    expect(emu.requests.count("ListSCMIntegrations")).toBe(1);
    expect(emu.requests.writes().map((entry) => [entry.rpc, entry.status])).toEqual([
      ["CreateEnvironmentClass", 200],
      ["UpdateEnvironmentClass", 404],
      ["DeleteSCMIntegration", 404],
    ]);
    expect(emu.requests.all("CreateEnvironmentClass")[0]?.body).toMatchObject({ displayName: "Logged" });
    emu.requests.clear();
    expect(emu.requests.count()).toBe(0);
  });
});

describe("fixtures option", () => {
  it("replaces runners and OAuth apps and accepts extra tokens", async () => {
    const custom = await startEmulator({
      fixtures: {
        runners: [{ id: "11111111-1111-4111-8111-111111111111", name: "only" }],
        oauthApps: [{ host: "github.com", clientId: "custom", secrets: ["s1"] }],
        extraTokens: ["second-token"],
      },
    });
    try {
      expect([...custom.state.runners.keys()]).toEqual(["11111111-1111-4111-8111-111111111111"]);
      expect((await call(custom, "GetRunnerConfigurationSchema", { runnerId: RUNNER_EU_ID })).status).toBe(
        404,
      );
      const validated = await ok(
        custom,
        "ValidateRunnerConfiguration",
        {
          runnerId: "11111111-1111-4111-8111-111111111111",
          scmIntegration: {
            scmId: "github",
            host: "github.com",
            oauthClientId: "custom",
            oauthPlaintextClientSecret: "s1",
          },
        },
        { token: "second-token" },
      );
      expect(validated.scmIntegration.valid).toBe(true);
    } finally {
      await custom.close();
    }
  });
});
