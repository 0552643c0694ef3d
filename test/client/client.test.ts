import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitpodApiError, GitpodClient } from "../../shared/api/index.js";
import {
  type Emulator,
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  startEmulator,
} from "../emulator/index.js";

let emu: Emulator;
let client: GitpodClient;

beforeAll(async () => {
  emu = await startEmulator();
  client = new GitpodClient({ baseUrl: emu.url, apiKey: emu.token, retryBaseDelayMs: 1, retryMaxDelayMs: 5 });
});
afterAll(async () => {
  await client.close();
  await emu.close();
});

describe("GitpodClient against the emulator", () => {
  it("creates, reads, updates and deletes an SCM integration; the secret comes back only encrypted", async () => {
    const { id } = await client.scmIntegrations.create({
      runnerId: RUNNER_EU_ID,
      scmId: "github",
      host: "github.com",
      oauthClientId: GITHUB_OAUTH_CLIENT_ID,
      oauthPlaintextClientSecret: GITHUB_OAUTH_SECRET,
      pat: true,
    });
    const stored = await client.scmIntegrations.get({ id });
    expect(stored).toMatchObject({
      id,
      runnerId: RUNNER_EU_ID,
      scmId: "github",
      host: "github.com",
      pat: true,
    });
    expect(stored.oauth?.clientId).toBe(GITHUB_OAUTH_CLIENT_ID);
    expect(stored.oauth?.encryptedClientSecret).toBeTruthy();
    expect(JSON.stringify(stored)).not.toContain(GITHUB_OAUTH_SECRET);
    expect(emu.state.decryptClientSecret(id)).toBe(GITHUB_OAUTH_SECRET);

    await client.scmIntegrations.update({ id, pat: false });
    expect((await client.scmIntegrations.get({ id })).pat).toBeFalsy();

    await client.scmIntegrations.delete({ id });
    await expect(client.scmIntegrations.get({ id })).rejects.toMatchObject({
      code: "not_found",
      status: 404,
    });
  });

  it("creates, lists, gets and updates environment classes", async () => {
    const { id } = await client.environmentClasses.create({
      runnerId: RUNNER_EU_ID,
      displayName: "Large Instance",
      description: "8 CPU, 32 GiB RAM",
      configuration: [{ key: "instanceType", value: "m6i.2xlarge" }],
    });
    await client.environmentClasses.update({ environmentClassId: id, description: "8 CPU", enabled: false });
    const got = await client.environmentClasses.get({ environmentClassId: id });
    expect(got).toMatchObject({ id, displayName: "Large Instance", description: "8 CPU" });
    expect(got.enabled).toBeFalsy();
    const disabled = await client.environmentClasses
      .list({ filter: { runnerIds: [RUNNER_EU_ID], enabled: false } })
      .toArray();
    expect(disabled.map((c) => c.id)).toContain(id);
  });

  it("manages host authentication tokens without ever returning their values", async () => {
    const token = await client.hostAuthenticationTokens.create({
      runnerId: RUNNER_EU_ID,
      host: "github.com",
      token: "gho_canary_token_value",
      refreshToken: "ghr_canary_refresh",
      source: "HOST_AUTHENTICATION_TOKEN_SOURCE_OAUTH",
      expiresAt: "2030-01-01T00:00:00Z",
      userId: "f53d2330-3795-4c5d-a1f3-453121af9c60",
    });
    expect(token.id).toBeTruthy();
    await client.hostAuthenticationTokens.update({ id: token.id, expiresAt: "2031-01-01T00:00:00Z" });
    const got = await client.hostAuthenticationTokens.get({ id: token.id });
    expect(got.expiresAt).toMatch(/^2031-01-01/);
    expect(JSON.stringify(got)).not.toContain("canary");
    const listed = await client.hostAuthenticationTokens
      .list({ filter: { runnerId: RUNNER_EU_ID } })
      .toArray();
    expect(listed.map((t) => t.id)).toContain(token.id);
    await client.hostAuthenticationTokens.delete({ id: token.id });
    await expect(client.hostAuthenticationTokens.get({ id: token.id })).rejects.toBeInstanceOf(
      GitpodApiError,
    );
  });

  it("reads the schema and validates both kinds", async () => {
    const schema = await client.schema.get({ runnerId: RUNNER_EU_ID });
    expect(schema.scm?.map((s) => s.scmId)).toEqual(["github", "gitlab", "bitbucket", "azure-devops-server"]);
    const bad = await client.validate({
      runnerId: RUNNER_EU_ID,
      scmIntegration: {
        scmId: "github",
        host: "github.com",
        oauthClientId: GITHUB_OAUTH_CLIENT_ID,
        oauthPlaintextClientSecret: "wrong-secret",
      },
    });
    expect(bad.scmIntegration?.valid).toBeFalsy();
    expect(bad.scmIntegration?.oauthError).toBeTruthy();
    const good = await client.validate({
      runnerId: RUNNER_EU_ID,
      environmentClass: {
        displayName: "Small",
        description: "2 CPU",
        configuration: [{ key: "instanceType", value: "m6i.large" }],
      },
    });
    expect(good.environmentClass?.valid).toBe(true);
  });

  it("walks every page with page size 100", async () => {
    const runnerId = emu.state.addRunner({ name: "paging" });
    for (let i = 0; i < 250; i++) {
      emu.state.seedEnvironmentClass({
        runnerId,
        displayName: `Class ${i}`,
        configuration: [{ key: "instanceType", value: "m6i.large" }],
      });
    }
    emu.requests.clear();
    const all = await client.environmentClasses.list({ filter: { runnerIds: [runnerId] } }).toArray();
    expect(all).toHaveLength(250);
    expect(new Set(all.map((c) => c.id)).size).toBe(250);
    const pages = emu.requests.all("ListEnvironmentClasses");
    expect(pages).toHaveLength(3);
    for (const page of pages)
      expect((page.body as { pagination: { pageSize: number } }).pagination.pageSize).toBe(100);
  });

  it("serves parallel calls over the pool", async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, () => client.schema.get({ runnerId: RUNNER_EU_ID })),
    );
    expect(results.every((s) => (s.environmentClasses?.length ?? 0) > 0)).toBe(true);
  });

  it("rejects a bad token as unauthenticated and an invalid request before sending", async () => {
    const wrong = new GitpodClient({ baseUrl: emu.url, apiKey: "wrong-token-canary" });
    const error = await wrong.schema.get({ runnerId: RUNNER_EU_ID }).catch((e: unknown) => e);
    await wrong.close();
    expect(error).toMatchObject({
      code: "unauthenticated",
      status: 401,
      rpc: "GetRunnerConfigurationSchema",
      retryable: false,
    });
    expect(String(error)).not.toContain("wrong-token-canary");

    emu.requests.clear();
    const invalid = await client.scmIntegrations
      // @ts-expect-error: a wrong type on purpose, as untyped callers could send
      .create({ runnerId: RUNNER_EU_ID, scmId: "github", host: 42 })
      .catch((e: unknown) => e);
    expect(invalid).toMatchObject({ code: "invalid_argument" });
    expect((invalid as Error).message).toContain("field host");
    expect(emu.requests.count()).toBe(0);
  });
});
