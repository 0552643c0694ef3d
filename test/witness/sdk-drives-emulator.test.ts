/**
 * The outside witness: the official TypeScript SDK (@gitpod/sdk 0.6.0) drives all 16 RPCs against the
 * emulator. If the emulator spoke a different dialect than the real API, the SDK would notice.
 */
import Gitpod, { AuthenticationError, NotFoundError } from "@gitpod/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RPC_NAMES } from "../../shared/api/rpcs.js";
import {
  type Emulator,
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  RUNNER_US_ID,
  startEmulator,
} from "../emulator/index.js";

let emu: Emulator;
let client: Gitpod;

beforeAll(async () => {
  emu = await startEmulator();
  client = new Gitpod({ bearerToken: emu.token, baseURL: emu.url, maxRetries: 0 });
});
afterAll(() => emu.close());

const configurations = () => client.runners.configurations;
const CONFIGURATION = [
  { key: "instanceType", value: "m6i.xlarge" },
  { key: "diskSize", value: "100" },
];

describe("@gitpod/sdk against the emulator", () => {
  it("reads the runner configuration schema", async () => {
    const { schema } = await configurations().schema.retrieve({ runnerId: RUNNER_EU_ID });
    expect(schema?.scm?.map((scm) => scm.scmId)).toContain("azure-devops-server");
    expect(schema?.environmentClasses?.find((field) => field.id === "diskSize")?.int).toEqual({
      default: 50,
      min: 20,
      max: 2000,
    });
  });

  it("validates both sides", async () => {
    const valid = await configurations().validate({
      runnerId: RUNNER_EU_ID,
      scmIntegration: {
        scmId: "github",
        host: "github.com",
        oauthClientId: GITHUB_OAUTH_CLIENT_ID,
        oauthPlaintextClientSecret: GITHUB_OAUTH_SECRET,
      },
    });
    expect(valid.scmIntegration?.valid).toBe(true);
    const invalid = await configurations().validate({
      runnerId: RUNNER_EU_ID,
      environmentClass: {
        id: crypto.randomUUID(),
        runnerId: RUNNER_EU_ID,
        displayName: "x",
        configuration: [{ key: "diskSize", value: "1" }],
      },
    });
    expect(invalid.environmentClass?.valid).toBeFalsy();
    expect(invalid.environmentClass?.displayNameError).toBeTruthy();
    expect(invalid.environmentClass?.configurationErrors?.map((error) => error.key).sort()).toEqual([
      "diskSize",
      "instanceType",
    ]);
  });

  it("creates, reads, updates and lists 60 environment classes across three pages", async () => {
    const ids: string[] = [];
    for (let index = 0; index < 60; index += 1) {
      const created = await configurations().environmentClasses.create({
        runnerId: RUNNER_EU_ID,
        displayName: `Class ${index}`,
        description: "made by the SDK",
        configuration: CONFIGURATION,
      });
      ids.push(created.id ?? "");
    }
    const first = ids[0] ?? "";
    const { environmentClass } = await configurations().environmentClasses.retrieve({
      environmentClassId: first,
    });
    expect(environmentClass).toMatchObject({ id: first, displayName: "Class 0", enabled: true });

    await configurations().environmentClasses.update({
      environmentClassId: first,
      displayName: "Renamed",
      enabled: false,
    });
    expect(emu.state.environmentClasses.get(first)).toMatchObject({ displayName: "Renamed", enabled: false });

    const before = emu.requests.count("ListEnvironmentClasses");
    const listed: string[] = [];
    for await (const item of configurations().environmentClasses.list({
      filter: { runnerIds: [RUNNER_EU_ID] },
    })) {
      listed.push(item.id);
    }
    expect(listed).toEqual(ids);
    const pages = emu.requests.all("ListEnvironmentClasses").slice(before);
    expect(pages).toHaveLength(3);
    expect(pages[1]?.query.token).toBeTruthy();

    const page = await configurations().environmentClasses.list({ pageSize: 50, filter: { enabled: false } });
    expect(page.environmentClasses.map((item) => item.id)).toEqual([first]);
    expect(page.hasNextPage()).toBe(false);
  });

  it("drives host authentication tokens through create, get, update, list and delete", async () => {
    const { token } = await configurations().hostAuthenticationTokens.create({
      runnerId: RUNNER_EU_ID,
      host: "github.com",
      token: "gho_sdk_witness_token",
      refreshToken: "ghr_sdk_witness_refresh",
      source: "HOST_AUTHENTICATION_TOKEN_SOURCE_OAUTH",
      expiresAt: "2030-06-01T00:00:00Z",
      userId: "f53d2330-3795-4c5d-a1f3-453121af9c60",
    });
    const id = token?.id ?? "";
    expect(JSON.stringify(token)).not.toContain("gho_sdk_witness_token");
    const got = await configurations().hostAuthenticationTokens.retrieve({ id });
    expect(got.token).toMatchObject({ id, host: "github.com", expiresAt: "2030-06-01T00:00:00Z" });

    await configurations().hostAuthenticationTokens.update({
      id,
      token: "gho_rotated",
      expiresAt: "2031-01-01T00:00:00Z",
    });
    expect(emu.state.hostTokens.get(id)).toMatchObject({
      token: "gho_rotated",
      expiresAt: "2031-01-01T00:00:00Z",
    });

    const listed: string[] = [];
    for await (const item of configurations().hostAuthenticationTokens.list({
      filter: { runnerId: RUNNER_EU_ID },
    })) {
      listed.push(item.id ?? "");
    }
    expect(listed).toEqual([id]);

    await configurations().hostAuthenticationTokens.delete({ id });
    await expect(configurations().hostAuthenticationTokens.retrieve({ id })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it("drives SCM integrations through create, get, update, list and delete", async () => {
    const { id = "" } = await configurations().scmIntegrations.create({
      runnerId: RUNNER_US_ID,
      scmId: "github",
      host: "github.com",
      oauthClientId: GITHUB_OAUTH_CLIENT_ID,
      oauthPlaintextClientSecret: GITHUB_OAUTH_SECRET,
      pat: true,
    });
    const { integration } = await configurations().scmIntegrations.retrieve({ id });
    expect(integration?.oauth?.clientId).toBe(GITHUB_OAUTH_CLIENT_ID);
    expect(emu.state.decryptForRunner(RUNNER_US_ID, integration?.oauth?.encryptedClientSecret ?? "")).toBe(
      GITHUB_OAUTH_SECRET,
    );

    await configurations().scmIntegrations.update({ id, oauthClientId: "", pat: true });
    const { integration: updated } = await configurations().scmIntegrations.retrieve({ id });
    expect(updated?.oauth).toBeUndefined();

    const listed: string[] = [];
    for await (const item of configurations().scmIntegrations.list({
      filter: { runnerIds: [RUNNER_US_ID] },
    })) {
      listed.push(item.id ?? "");
    }
    expect(listed).toEqual([id]);

    await configurations().scmIntegrations.delete({ id });
    await expect(configurations().scmIntegrations.retrieve({ id })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("raises NotFoundError for a missing id and AuthenticationError for a bad token", async () => {
    await expect(
      configurations().environmentClasses.retrieve({ environmentClassId: crypto.randomUUID() }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const stranger = new Gitpod({ bearerToken: "not-the-token", baseURL: emu.url, maxRetries: 0 });
    await expect(
      stranger.runners.configurations.schema.retrieve({ runnerId: RUNNER_EU_ID }),
    ).rejects.toBeInstanceOf(AuthenticationError);
  });

  it("answered every one of the 16 RPCs successfully at least once", () => {
    const succeeded = new Set(
      emu.requests.entries.filter((entry) => entry.status === 200).map((entry) => entry.rpc),
    );
    // SDK 0.6.0 predates the five LLM-integration RPCs (test/client/llm-integrations.test.ts covers them).
    const known = RPC_NAMES.filter((rpc) => !/LLMIntegrations?$/.test(rpc));
    expect(known).toHaveLength(16);
    expect(known.filter((rpc) => !succeeded.has(rpc))).toEqual([]);
  });
});
