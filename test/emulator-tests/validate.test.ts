import { constants, publicEncrypt } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  defaultRunnerSchema,
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  GITLAB_OAUTH_CLIENT_ID,
  GITLAB_OAUTH_SECRET,
  RUNNER_EU_ID,
  RUNNER_US_ID,
} from "../emulator/fixtures.js";
import { call, ok } from "../emulator/helpers.js";
import { type Emulator, startEmulator } from "../emulator/index.js";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.state.reset());

const GOOD_CONFIGURATION = [
  { key: "instanceType", value: "m6i.large" },
  { key: "diskSize", value: "100" },
  { key: "spot", value: "false" },
  { key: "imageId", value: "ami-0123456789abcdef0" },
];

async function validateClass(environmentClass: Record<string, unknown>, runnerId = RUNNER_EU_ID) {
  const body = await ok(emu, "ValidateRunnerConfiguration", {
    runnerId,
    environmentClass: {
      id: crypto.randomUUID(),
      runnerId,
      displayName: "Valid name",
      configuration: GOOD_CONFIGURATION,
      ...environmentClass,
    },
  });
  expect(body).not.toHaveProperty("scmIntegration");
  return body.environmentClass;
}

async function validateScm(scmIntegration: Record<string, unknown>, runnerId = RUNNER_EU_ID) {
  const body = await ok(emu, "ValidateRunnerConfiguration", {
    runnerId,
    scmIntegration: {
      scmId: "github",
      host: "github.com",
      oauthClientId: GITHUB_OAUTH_CLIENT_ID,
      oauthPlaintextClientSecret: GITHUB_OAUTH_SECRET,
      pat: true,
      ...scmIntegration,
    },
  });
  expect(body).not.toHaveProperty("environmentClass");
  return body.scmIntegration;
}

describe("ValidateRunnerConfiguration: request shape", () => {
  it("requires exactly one of environmentClass or scmIntegration", async () => {
    const neither = await call(emu, "ValidateRunnerConfiguration", { runnerId: RUNNER_EU_ID });
    expect(neither.status).toBe(400);
    const both = await call(emu, "ValidateRunnerConfiguration", {
      runnerId: RUNNER_EU_ID,
      environmentClass: { displayName: "abc" },
      scmIntegration: { scmId: "github" },
    });
    expect(both.status).toBe(400);
    expect(both.json.code).toBe("invalid_argument");
  });

  it("answers not_found for an unknown runner", async () => {
    const runnerId = crypto.randomUUID();
    const result = await call(emu, "ValidateRunnerConfiguration", {
      runnerId,
      environmentClass: { id: crypto.randomUUID(), runnerId, displayName: "abc" },
    });
    expect(result.status).toBe(404);
  });

  it.each([
    ["id", { runnerId: RUNNER_EU_ID }],
    ["runner_id", { id: "7d1f9a52-54c4-4a6f-9d43-1f0f0c1b2d3e" }],
  ])("requires environment_class.%s, which the spec types as required", async (field, given) => {
    const result = await call(emu, "ValidateRunnerConfiguration", {
      runnerId: RUNNER_EU_ID,
      environmentClass: { displayName: "abc", ...given },
    });
    expect(result.status).toBe(400);
    expect(result.json).toEqual({
      code: "invalid_argument",
      message: `environment_class.${field}: value is required`,
    });
  });
});

describe("ValidateRunnerConfiguration: environment classes", () => {
  it("reports a valid class as valid", async () => {
    expect(await validateClass({ description: "A fine class" })).toEqual({ valid: true });
  });

  it.each([
    ["too short", "ab"],
    ["too long", "n".repeat(128)],
    ["missing", undefined],
  ])("reports a display name that is %s", async (_, displayName) => {
    const result = await validateClass({ displayName });
    expect(result.displayNameError).toBeTruthy();
    expect(result.valid).toBeUndefined();
  });

  it("reports a description outside 3..200", async () => {
    expect((await validateClass({ description: "ab" })).descriptionError).toBeTruthy();
    expect((await validateClass({ description: "d".repeat(201) })).descriptionError).toBeTruthy();
    expect((await validateClass({ description: "d".repeat(200) })).valid).toBe(true);
  });

  it.each([
    ["an unknown key", [{ key: "cpu", value: "8" }], "cpu"],
    ["a missing required key", [{ key: "diskSize", value: "100" }], "instanceType"],
    ["an int that is not an integer", [{ key: "diskSize", value: "big" }], "diskSize"],
    ["an int below min", [{ key: "diskSize", value: "19" }], "diskSize"],
    ["an int above max", [{ key: "diskSize", value: "2001" }], "diskSize"],
    ["a bool that is not a bool", [{ key: "spot", value: "yes" }], "spot"],
    ["a string not matching its pattern", [{ key: "imageId", value: "ami-12" }], "imageId"],
    ["an enum value not offered", [{ key: "instanceType", value: "m5.large" }], "instanceType"],
  ])("reports %s as a configuration error on that key", async (_, configuration, key) => {
    const base = GOOD_CONFIGURATION.filter((field) => !configuration.some((bad) => bad.key === field.key));
    const withoutRequired = key === "instanceType" && configuration[0]?.key !== "instanceType";
    const result = await validateClass({
      configuration: withoutRequired ? configuration : [...base, ...configuration],
    });
    expect(result.valid).toBeUndefined();
    expect(result.configurationErrors.map((error: { key: string }) => error.key)).toContain(key);
    expect(result.configurationErrors.every((error: { error: string }) => error.error.length > 0)).toBe(true);
  });

  it("checks against the schema of the runner asked about", async () => {
    const schema = defaultRunnerSchema();
    schema.environmentClasses = [{ id: "cpu", int: { min: 1, max: 64 }, required: true }];
    const custom = emu.state.addRunner({ name: "custom", schema });
    expect(await validateClass({ configuration: [{ key: "cpu", value: "8" }] }, custom)).toEqual({
      valid: true,
    });
    expect(
      (await validateClass({ configuration: [{ key: "cpu", value: "8" }] }, RUNNER_US_ID)).valid,
    ).toBeUndefined();
  });
});

describe("ValidateRunnerConfiguration: SCM integrations", () => {
  it("accepts known OAuth credentials", async () => {
    expect(await validateScm({})).toEqual({ valid: true });
    expect(
      await validateScm({
        scmId: "gitlab",
        host: "gitlab.com",
        oauthClientId: GITLAB_OAUTH_CLIENT_ID,
        oauthPlaintextClientSecret: GITLAB_OAUTH_SECRET,
      }),
    ).toEqual({ valid: true });
  });

  it("reports an unknown scmId", async () => {
    expect((await validateScm({ scmId: "gitea" })).scmIdError).toContain("gitea");
  });

  it.each(["https://github.com", "github.com/org", "", "git hub.com", "github.com:99999"])(
    "reports the malformed host %j",
    async (host) => {
      const result = await validateScm({ host });
      expect(result.hostError).toBeTruthy();
      expect(result.valid).toBeUndefined();
    },
  );

  it("allows a virtual directory only for Azure DevOps Server", async () => {
    expect((await validateScm({ virtualDirectory: "/tfs" })).hostError).toContain("virtualDirectory");
    const azure = await validateScm({
      scmId: "azure-devops-server",
      host: "devops.example.com",
      virtualDirectory: "/tfs",
      oauthClientId: undefined,
      oauthPlaintextClientSecret: undefined,
    });
    expect(azure).toEqual({ valid: true });
  });

  it("reports an OAuth client id without a secret", async () => {
    expect((await validateScm({ oauthPlaintextClientSecret: undefined })).oauthError).toContain("secret");
  });

  it("reports an unknown client id and a wrong secret without echoing the secret", async () => {
    expect((await validateScm({ oauthClientId: "Iv1.unknown" })).oauthError).toBeTruthy();
    const wrong = await call(emu, "ValidateRunnerConfiguration", {
      runnerId: RUNNER_EU_ID,
      scmIntegration: {
        scmId: "github",
        host: "github.com",
        oauthClientId: GITHUB_OAUTH_CLIENT_ID,
        oauthPlaintextClientSecret: "canary-wrong-secret-4242",
      },
    });
    expect(wrong.json.scmIntegration.oauthError).toBeTruthy();
    expect(wrong.text).not.toContain("canary-wrong-secret-4242");
  });

  it("accepts any of an app's current secrets and rejects revoked ones", async () => {
    emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [
      GITHUB_OAUTH_SECRET,
      "second-secret",
    ]);
    expect((await validateScm({ oauthPlaintextClientSecret: "second-secret" })).valid).toBe(true);
    expect((await validateScm({})).valid).toBe(true);
    emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, ["second-secret"]);
    expect((await validateScm({})).oauthError).toBeTruthy();
  });

  it("decrypts an encrypted secret with the runner's key first", async () => {
    const encrypted = emu.state.encryptForRunner(RUNNER_EU_ID, GITHUB_OAUTH_SECRET);
    const valid = await validateScm({
      oauthPlaintextClientSecret: undefined,
      oauthEncryptedClientSecret: encrypted,
    });
    expect(valid).toEqual({ valid: true });
    const otherRunner = await validateScm(
      { oauthPlaintextClientSecret: undefined, oauthEncryptedClientSecret: encrypted },
      RUNNER_US_ID,
    );
    expect(otherRunner.oauthError).toContain("decrypt");
    const garbage = await validateScm({
      oauthPlaintextClientSecret: undefined,
      oauthEncryptedClientSecret: "bm90IGNpcGhlcg==",
    });
    expect(garbage.oauthError).toBeTruthy();
  });

  it("uses RSA-OAEP with SHA-256 under the runner's public key", async () => {
    const ciphertext = publicEncrypt(
      {
        key: emu.state.runnerPublicKeyPem(RUNNER_EU_ID),
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: "sha256",
      },
      Buffer.from(GITHUB_OAUTH_SECRET),
    ).toString("base64");
    expect(
      await validateScm({ oauthPlaintextClientSecret: undefined, oauthEncryptedClientSecret: ciphertext }),
    ).toEqual({
      valid: true,
    });
  });

  it("validates an existing integration's stored ciphertext", async () => {
    const { id } = await ok(emu, "CreateSCMIntegration", {
      runnerId: RUNNER_EU_ID,
      scmId: "github",
      host: "github.com",
      oauthClientId: GITHUB_OAUTH_CLIENT_ID,
      oauthPlaintextClientSecret: GITHUB_OAUTH_SECRET,
    });
    const { integration } = await ok(emu, "GetSCMIntegration", { id });
    const result = await validateScm({
      id,
      oauthPlaintextClientSecret: undefined,
      oauthEncryptedClientSecret: integration.oauth.encryptedClientSecret,
    });
    expect(result).toEqual({ valid: true });
  });

  it("reports pat for a provider without PAT support", async () => {
    const schema = defaultRunnerSchema();
    schema.scm = [
      { scmId: "github", name: "GitHub", defaultHosts: ["github.com"], oauth: { callbackUrl: "https://x" } },
    ];
    const runner = emu.state.addRunner({ schema });
    expect((await validateScm({ pat: true }, runner)).patError).toBeTruthy();
    expect(await validateScm({ pat: false }, runner)).toEqual({ valid: true });
  });

  it("reports several errors at once", async () => {
    const result = await validateScm({
      scmId: "gitea",
      host: "https://x",
      oauthPlaintextClientSecret: undefined,
    });
    expect(result).toMatchObject({
      scmIdError: expect.any(String),
      hostError: expect.any(String),
      oauthError: expect.any(String),
    });
  });
});
