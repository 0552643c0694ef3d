import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RUNNER_EU_ID, RUNNER_US_ID } from "./fixtures.js";
import { call, ok } from "./helpers.js";
import { type Emulator, startEmulator } from "./index.js";

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
