import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitpodApiError, GitpodClient, RPC_NAMES } from "../../shared/api/index.js";
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
  // env: {} so that a proxy configured on the test machine cannot interfere.
  client = new GitpodClient({
    baseUrl: emu.url,
    apiKey: emu.token,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 5,
    env: {},
  });
});
afterAll(async () => {
  await client.close();
  await emu.close();
});

describe("GitpodClient against the emulator", () => {
  it("creates, reads, updates and deletes an SCM integration; the secret comes back only encrypted", async () => {
    const id = required(
      (
        await client.scmIntegrations.create({
          runnerId: RUNNER_EU_ID,
          scmId: "github",
          host: "github.com",
          oauthClientId: GITHUB_OAUTH_CLIENT_ID,
          oauthPlaintextClientSecret: GITHUB_OAUTH_SECRET,
          pat: true,
        })
      ).id,
    );
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
    const listed = await client.scmIntegrations.list({ filter: { runnerIds: [RUNNER_EU_ID] } }).toArray();
    expect(listed.map((integration) => integration.id)).toEqual([id]);

    await client.scmIntegrations.delete({ id });
    await expect(client.scmIntegrations.get({ id })).rejects.toMatchObject({
      code: "not_found",
      status: 404,
    });
  });

  it("creates, lists, gets and updates environment classes", async () => {
    const id = required(
      (
        await client.environmentClasses.create({
          runnerId: RUNNER_EU_ID,
          displayName: "Large Instance",
          description: "8 CPU, 32 GiB RAM",
          configuration: [{ key: "instanceType", value: "m6i.2xlarge" }],
        })
      ).id,
    );
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
    expect(schema?.scm?.map((s) => s.scmId)).toEqual([
      "github",
      "gitlab",
      "bitbucket",
      "azure-devops-server",
    ]);
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
        id: crypto.randomUUID(),
        runnerId: RUNNER_EU_ID,
        displayName: "Small",
        description: "2 CPU",
        configuration: [{ key: "instanceType", value: "m6i.large" }],
      },
    });
    expect(good.environmentClass?.valid).toBe(true);
  });

  it("creates, reads, rotates the key of, lists and deletes an LLM integration", async () => {
    const id = required(
      (
        await client.llmIntegrations.create({
          runnerId: RUNNER_EU_ID,
          models: ["SUPPORTED_MODEL_SONNET_4_5"],
          endpoint: "https://llm.example.com",
          apiKey: "sk-first-key",
          maxTokens: 2048,
        })
      ).id,
    );
    expect(await client.llmIntegrations.get({ id })).toMatchObject({ id, maxTokens: 2048 });
    await client.llmIntegrations.update({ id, apiKey: "sk-second-key" });
    expect(emu.state.decryptApiKey(id)).toBe("sk-second-key");
    const listed = await client.llmIntegrations.list({ filter: { runnerIds: [RUNNER_EU_ID] } }).toArray();
    expect(listed.map((integration) => integration.id)).toEqual([id]);
    await client.llmIntegrations.delete({ id });
    await expect(client.llmIntegrations.get({ id })).rejects.toMatchObject({ code: "not_found" });
  });

  // A summary of the tests above (they run in order in one file): together they cover the service.
  it("made every one of the 21 RPCs, each answered 200", () => {
    const answered = new Set(emu.requests.entries.filter((e) => e.status === 200).map((e) => e.rpc));
    expect([...answered].sort()).toEqual([...RPC_NAMES].sort());
  });
});

/** The emulator always answers a create's id; the spec merely allows it to be absent. */
function required(id: string | undefined): string {
  if (!id) throw new Error("the create answered no id");
  return id;
}
