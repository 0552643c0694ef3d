import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RUNNER_EU_ID, RUNNER_US_ID } from "../emulator/fixtures.js";
import { call, ok } from "../emulator/helpers.js";
import { type Emulator, startEmulator } from "../emulator/index.js";

const TOKEN_CANARY = "gho_canary_token_91c2";
const REFRESH_CANARY = "ghr_canary_refresh_55d0";
const USER = "f53d2330-3795-4c5d-a1f3-453121af9c60";
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.state.reset());

function createBody(overrides: Record<string, unknown> = {}) {
  return {
    runnerId: RUNNER_EU_ID,
    userId: USER,
    host: "github.com",
    token: TOKEN_CANARY,
    refreshToken: REFRESH_CANARY,
    source: "HOST_AUTHENTICATION_TOKEN_SOURCE_OAUTH",
    expiresAt: "2030-12-31T23:59:59Z",
    scopes: ["repo"],
    ...overrides,
  };
}

describe("host authentication tokens", () => {
  it("creates and reads a token without ever returning its secrets", async () => {
    const created = await call(emu, "CreateHostAuthenticationToken", createBody());
    expect(created.status).toBe(200);
    const id: string = created.json.token.id;
    const got = await call(emu, "GetHostAuthenticationToken", { id });
    expect(got.json.token).toEqual({
      id,
      runnerId: RUNNER_EU_ID,
      userId: USER,
      host: "github.com",
      source: "HOST_AUTHENTICATION_TOKEN_SOURCE_OAUTH",
      expiresAt: "2030-12-31T23:59:59Z",
      scopes: ["repo"],
      subject: { id: USER, principal: "PRINCIPAL_USER" },
    });
    const listed = await call(emu, "ListHostAuthenticationTokens", {});
    for (const text of [created.text, got.text, listed.text]) {
      expect(text).not.toContain(TOKEN_CANARY);
      expect(text).not.toContain(REFRESH_CANARY);
    }
    expect(emu.state.hostTokens.get(id)).toMatchObject({ token: TOKEN_CANARY, refreshToken: REFRESH_CANARY });
  });

  it("normalises expiresAt to UTC", async () => {
    const { token } = await ok(
      emu,
      "CreateHostAuthenticationToken",
      createBody({ expiresAt: "2030-01-01T02:00:00.5+02:00" }),
    );
    expect(token.expiresAt).toBe("2030-01-01T00:00:00.500Z");
  });

  it.each([
    ["a timestamp without a time zone", { expiresAt: "2030-12-31T23:59:59" }],
    ["a date only", { expiresAt: "2030-12-31" }],
    ["an empty token", { token: "" }],
    ["a malformed host", { host: "https://github.com/" }],
    ["102 scopes", { scopes: Array.from({ length: 102 }, (_, i) => `s${i}`) }],
  ])("rejects %s with invalid_argument", async (_, override) => {
    const result = await call(emu, "CreateHostAuthenticationToken", createBody(override));
    expect(result.status).toBe(400);
    expect(result.json.code).toBe("invalid_argument");
    expect(emu.state.hostTokens.size).toBe(0);
  });

  it("answers not_found for an unknown runner", async () => {
    const result = await call(
      emu,
      "CreateHostAuthenticationToken",
      createBody({ runnerId: crypto.randomUUID() }),
    );
    expect(result.status).toBe(404);
  });

  it("updates the stored token, refresh token, expiry and scopes", async () => {
    const seeded = emu.state.seedHostToken({ runnerId: RUNNER_EU_ID, host: "github.com", token: "old" });
    expect(
      await ok(emu, "UpdateHostAuthenticationToken", {
        id: seeded.id,
        token: TOKEN_CANARY,
        refreshToken: REFRESH_CANARY,
        expiresAt: "2031-01-01T00:00:00Z",
        scopes: ["repo", "read:org"],
      }),
    ).toEqual({});
    expect(emu.state.hostTokens.get(seeded.id)).toMatchObject({
      token: TOKEN_CANARY,
      refreshToken: REFRESH_CANARY,
      expiresAt: "2031-01-01T00:00:00Z",
      scopes: ["repo", "read:org"],
    });
  });

  it("deletes, then answers not_found", async () => {
    const seeded = emu.state.seedHostToken({ runnerId: RUNNER_EU_ID, host: "github.com" });
    expect(await ok(emu, "DeleteHostAuthenticationToken", { id: seeded.id })).toEqual({});
    expect((await call(emu, "GetHostAuthenticationToken", { id: seeded.id })).status).toBe(404);
    expect((await call(emu, "DeleteHostAuthenticationToken", { id: seeded.id })).status).toBe(404);
    expect((await call(emu, "UpdateHostAuthenticationToken", { id: seeded.id, token: "x" })).status).toBe(
      404,
    );
  });

  it("filters lists by runnerId, userId and subjectId", async () => {
    const other = "0b7c1c9e-3c1d-4a5e-9f00-111111111111";
    const a = emu.state.seedHostToken({ runnerId: RUNNER_EU_ID, host: "github.com", userId: USER });
    const b = emu.state.seedHostToken({ runnerId: RUNNER_EU_ID, host: "gitlab.com", userId: other });
    const c = emu.state.seedHostToken({ runnerId: RUNNER_US_ID, host: "github.com", userId: USER });
    const ids = async (filter: object) =>
      ((await ok(emu, "ListHostAuthenticationTokens", { filter })).tokens ?? []).map(
        (t: { id: string }) => t.id,
      );
    expect(await ids({})).toEqual([a.id, b.id, c.id]);
    expect(await ids({ runnerId: RUNNER_EU_ID })).toEqual([a.id, b.id]);
    expect(await ids({ userId: USER })).toEqual([a.id, c.id]);
    expect(await ids({ subjectId: other })).toEqual([b.id]);
    expect(await ids({ runnerId: RUNNER_US_ID, userId: other })).toEqual([]);
  });
});

describe("host authentication tokens: principals, integrations and limits", () => {
  const SERVICE_ACCOUNT = "7d1e6f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6";
  const serviceAccount = { id: SERVICE_ACCOUNT, principal: "PRINCIPAL_SERVICE_ACCOUNT" };
  const saBody = (overrides: Record<string, unknown> = {}) =>
    createBody({
      userId: undefined,
      subject: serviceAccount,
      source: "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT",
      ...overrides,
    });

  it("keeps a service account's token with its subject, integration and scopes, and never returns its value", async () => {
    const integration = emu.state.seedScmIntegration({
      runnerId: RUNNER_EU_ID,
      scmId: "github",
      host: "github.com",
      pat: true,
    });
    const created = await call(
      emu,
      "CreateHostAuthenticationToken",
      saBody({ integrationId: integration.id }),
    );
    expect(created.status).toBe(200);
    const got = await call(emu, "GetHostAuthenticationToken", { id: created.json.token.id });
    expect(got.json.token).toEqual({
      id: created.json.token.id,
      runnerId: RUNNER_EU_ID,
      host: "github.com",
      integrationId: integration.id,
      source: "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT",
      expiresAt: "2030-12-31T23:59:59Z",
      scopes: ["repo"],
      subject: serviceAccount,
    });
    const listed = await call(emu, "ListHostAuthenticationTokens", {
      filter: { subjectId: SERVICE_ACCOUNT },
    });
    expect(listed.json.tokens).toHaveLength(1);
    for (const text of [created.text, got.text, listed.text]) {
      expect(text).not.toContain(TOKEN_CANARY);
      expect(text).not.toContain(REFRESH_CANARY);
    }
  });

  it("accepts exactly 100 scopes and refuses 101, on create and on update", async () => {
    const scopes = (n: number) => Array.from({ length: n }, (_, i) => `s${i}`);
    const created = await ok(emu, "CreateHostAuthenticationToken", saBody({ scopes: scopes(100) }));
    expect(created.token.scopes).toHaveLength(100);
    const tooMany = await call(
      emu,
      "CreateHostAuthenticationToken",
      saBody({ host: "gitlab.com", scopes: scopes(101) }),
    );
    expect(tooMany.json).toMatchObject({
      code: "invalid_argument",
      message: expect.stringContaining("scopes"),
    });
    const update = await call(emu, "UpdateHostAuthenticationToken", {
      id: created.token.id,
      scopes: scopes(101),
    });
    expect(update.status).toBe(400);
    expect(emu.state.hostTokens.get(created.token.id)?.scopes).toHaveLength(100);
  });

  it.each([
    [
      "a runner principal",
      { subject: { id: SERVICE_ACCOUNT, principal: "PRINCIPAL_RUNNER" } },
      "subject.principal",
    ],
    ["a subject without a principal", { subject: { id: SERVICE_ACCOUNT } }, "subject.principal"],
    ["a subject without an id", { subject: { principal: "PRINCIPAL_SERVICE_ACCOUNT" } }, "subject.id"],
    [
      "a subject id that is not a UUID",
      { subject: { id: "robot", principal: "PRINCIPAL_SERVICE_ACCOUNT" } },
      "subject.id",
    ],
    ["a userId contradicting a service-account subject", { userId: USER }, "user_id"],
    ["an unknown integration", { integrationId: "0b7c1c9e-3c1d-4a5e-9f00-222222222222" }, "integration_id"],
  ])("refuses %s", async (_, override, field) => {
    const result = await call(emu, "CreateHostAuthenticationToken", saBody(override));
    expect(result.json).toMatchObject({ code: "invalid_argument", message: expect.stringContaining(field) });
    expect(emu.state.hostTokens.size).toBe(0);
  });

  it("refuses an integration of another host or runner", async () => {
    const gitlab = emu.state.seedScmIntegration({
      runnerId: RUNNER_EU_ID,
      scmId: "gitlab",
      host: "gitlab.com",
    });
    const us = emu.state.seedScmIntegration({ runnerId: RUNNER_US_ID, scmId: "github", host: "github.com" });
    for (const integrationId of [gitlab.id, us.id]) {
      const result = await call(emu, "CreateHostAuthenticationToken", saBody({ integrationId }));
      expect(result.json.code).toBe("invalid_argument");
    }
  });

  it("keeps one token per (runner, host, subject) unless the assumption is switched off", async () => {
    await ok(emu, "CreateHostAuthenticationToken", saBody());
    const again = await call(emu, "CreateHostAuthenticationToken", saBody({ host: "GitHub.com" }));
    expect(again.status).toBe(409);
    expect(again.json.code).toBe("already_exists");
    expect(again.text).not.toContain(TOKEN_CANARY);
    // Another subject, another runner or another host is a different token.
    await ok(emu, "CreateHostAuthenticationToken", createBody());
    await ok(emu, "CreateHostAuthenticationToken", saBody({ runnerId: RUNNER_US_ID }));
    await ok(emu, "CreateHostAuthenticationToken", saBody({ host: "gitlab.com" }));
    expect(emu.state.hostTokens.size).toBe(4);

    const lax = await startEmulator({ uniqueHostTokenPerSubject: false });
    try {
      await ok(lax, "CreateHostAuthenticationToken", saBody());
      await ok(lax, "CreateHostAuthenticationToken", saBody());
      expect(lax.state.hostTokens.size).toBe(2);
    } finally {
      await lax.close();
    }
  });

  it("seeds service-account tokens", () => {
    const seeded = emu.state.seedHostToken({
      runnerId: RUNNER_EU_ID,
      host: "github.com",
      subject: serviceAccount,
    });
    expect(seeded).toMatchObject({ subject: serviceAccount, userId: "" });
  });
});
