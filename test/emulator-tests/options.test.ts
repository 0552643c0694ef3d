/**
 * Behaviour of the real service the emulator only shows when asked (each option off by default), the
 * assumptions that can be switched, and the cost of a List page.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  RUNNER_US_ID,
} from "../emulator/fixtures.js";
import { call, ok } from "../emulator/helpers.js";
import { type Emulator, type EmulatorOptions, startEmulator } from "../emulator/index.js";

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});
async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  emu = await startEmulator(options);
  return emu;
}

const CLASS = {
  runnerId: RUNNER_EU_ID,
  displayName: "Lagging",
  configuration: [{ key: "instanceType", value: "m6i.large" }],
};

describe("listLagMs", () => {
  it("shows a create to Get at once but to List only after the lag", async () => {
    const e = await start({ listLagMs: 300 });
    const { id } = await ok(e, "CreateEnvironmentClass", CLASS);
    expect((await ok(e, "GetEnvironmentClass", { environmentClassId: id })).environmentClass.id).toBe(id);
    const before = await ok(e, "ListEnvironmentClasses", { filter: { runnerIds: [RUNNER_EU_ID] } });
    expect(before.environmentClasses).toBeUndefined();
    // Part of the scenario: the 300 ms lag passes.
    await new Promise((resolve) => setTimeout(resolve, 350));
    const after = await ok(e, "ListEnvironmentClasses", { filter: { runnerIds: [RUNNER_EU_ID] } });
    expect(after.environmentClasses.map((c: { id: string }) => c.id)).toEqual([id]);
  });

  it("is off by default", async () => {
    const e = await start();
    await ok(e, "CreateEnvironmentClass", CLASS);
    expect((await ok(e, "ListEnvironmentClasses", {})).environmentClasses).toHaveLength(1);
  });
});

describe("validateLatencyMs and offline runners", () => {
  const validation = (runnerId: string) => ({
    runnerId,
    environmentClass: { id: crypto.randomUUID(), runnerId, displayName: "abc" },
  });

  it("delays only ValidateRunnerConfiguration", async () => {
    const e = await start({ validateLatencyMs: 200 });
    let started = performance.now();
    await ok(e, "ValidateRunnerConfiguration", validation(RUNNER_EU_ID));
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    started = performance.now();
    await ok(e, "GetRunnerConfigurationSchema", { runnerId: RUNNER_EU_ID });
    expect(performance.now() - started).toBeLessThan(150);
  });

  it("refuses validation through an offline runner with failed_precondition, and still serves its schema", async () => {
    const e = await start({
      fixtures: {
        runners: [
          { id: RUNNER_EU_ID, name: "aws-eu", online: false },
          { id: RUNNER_US_ID, name: "aws-us" },
        ],
      },
    });
    const offline = await call(e, "ValidateRunnerConfiguration", validation(RUNNER_EU_ID));
    expect(offline.status).toBe(400);
    expect(offline.json).toEqual({
      code: "failed_precondition",
      message: `runner ${RUNNER_EU_ID} is offline`,
    });
    await ok(e, "ValidateRunnerConfiguration", validation(RUNNER_US_ID));
    await ok(e, "GetRunnerConfigurationSchema", { runnerId: RUNNER_EU_ID });
    e.state.setRunnerOnline(RUNNER_EU_ID, true);
    await ok(e, "ValidateRunnerConfiguration", validation(RUNNER_EU_ID));
  });

  it("can answer offline runners with unavailable instead", async () => {
    const e = await start({ offlineRunnerCode: "unavailable" });
    e.state.setRunnerOnline(RUNNER_EU_ID, false);
    const offline = await call(e, "ValidateRunnerConfiguration", validation(RUNNER_EU_ID));
    expect(offline.status).toBe(503);
    expect(offline.json.code).toBe("unavailable");
  });
});

describe("pageTokenTtlSeconds", () => {
  it("refuses a page token older than the limit with invalid_argument", async () => {
    const e = await start({ pageTokenTtlSeconds: 1 });
    for (let index = 0; index < 3; index += 1)
      e.state.seedEnvironmentClass({ runnerId: RUNNER_EU_ID, displayName: `c${index}` });
    const first = await ok(e, "ListEnvironmentClasses", { pagination: { pageSize: 1 } });
    const token = first.pagination.nextToken as string;
    await ok(e, "ListEnvironmentClasses", { pagination: { pageSize: 1, token } });
    // Part of the scenario: the page token's 1 s lifetime runs out.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const expired = await call(e, "ListEnvironmentClasses", { pagination: { pageSize: 1, token } });
    expect(expired.status).toBe(400);
    expect(expired.json.code).toBe("invalid_argument");
    expect(expired.json.message).toContain("page token expired");
  });
});

describe("rateLimit", () => {
  it("answers 429 resource_exhausted with Retry-After above the rate, per token", async () => {
    const e = await start({ rateLimit: { rps: 2, burst: 2 }, fixtures: { extraTokens: ["other-token"] } });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let index = 0; index < 4; index += 1) {
      const result = await call(e, "ListSCMIntegrations", {});
      statuses.push(result.status);
      if (result.status === 429) {
        retryAfter = result.headers.get("retry-after");
        expect(result.json.code).toBe("resource_exhausted");
      }
    }
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await call(e, "ListSCMIntegrations", {}, { token: "other-token" })).status).toBe(200);
  });
});

describe("assumptions that can be switched", () => {
  const github = {
    runnerId: RUNNER_EU_ID,
    scmId: "github",
    host: "github.com",
    oauthClientId: GITHUB_OAUTH_CLIENT_ID,
    oauthPlaintextClientSecret: GITHUB_OAUTH_SECRET,
  };

  it("accepts a duplicate (runner, host) SCM integration when uniqueness is off", async () => {
    const e = await start({ uniqueScmHostPerRunner: false });
    await ok(e, "CreateSCMIntegration", github);
    await ok(e, "CreateSCMIntegration", github);
    expect(e.state.scmIntegrations.size).toBe(2);
  });

  it("treats hosts that differ in case as different when case-insensitivity is off", async () => {
    const e = await start({ caseInsensitiveHosts: false });
    await ok(e, "CreateSCMIntegration", github);
    await ok(e, "CreateSCMIntegration", { ...github, host: "GitHub.com" });
    const strict = await start({});
    await ok(strict, "CreateSCMIntegration", github);
    expect((await call(strict, "CreateSCMIntegration", { ...github, host: "GitHub.com" })).status).toBe(409);
    await e.close();
  });

  it("accepts issuerUrl without OAuth and a scheme in the host when those refusals are off", async () => {
    const strict = await start();
    const pat = { runnerId: RUNNER_EU_ID, scmId: "github", pat: true };
    expect(
      (
        await call(strict, "CreateSCMIntegration", {
          ...pat,
          host: "github.com",
          issuerUrl: "https://id.example.com",
        })
      ).json.message,
    ).toBe("issuer_url: only meaningful with an OAuth client id");
    expect((await call(strict, "CreateSCMIntegration", { ...pat, host: "https://github.com" })).status).toBe(
      400,
    );
    await strict.close();
    const lenient = await start({ refuseIssuerUrlWithoutOAuth: false, refuseSchemeInHost: false });
    await ok(lenient, "CreateSCMIntegration", {
      ...pat,
      host: "github.com",
      issuerUrl: "https://id.example.com",
    });
    await ok(lenient, "CreateSCMIntegration", { ...pat, host: "https://ghe.example.com" });
  });
});

describe("List cost", () => {
  it("looks at about one page of objects per page, not at every stored object", async () => {
    const e = await start();
    for (let index = 0; index < 2000; index += 1) {
      e.state.seedEnvironmentClass({
        runnerId: index % 2 === 0 ? RUNNER_EU_ID : RUNNER_US_ID,
        displayName: `c${index}`,
      });
      e.state.seedScmIntegration({
        runnerId: index % 2 === 0 ? RUNNER_EU_ID : RUNNER_US_ID,
        scmId: "github",
        host: `h${index}.example.com`,
      });
    }
    const extra = e.state.addRunner({ name: "small" });
    e.state.seedEnvironmentClass({ runnerId: extra, displayName: "only one" });
    const before = e.state.listScanned;
    const page = await ok(e, "ListEnvironmentClasses", { filter: { runnerIds: [extra] } });
    expect(page.environmentClasses).toHaveLength(1);
    expect(e.state.listScanned - before).toBeLessThanOrEqual(2);

    let token: string | undefined;
    let pages = 0;
    const start2 = e.state.listScanned;
    do {
      const result = await ok(e, "ListSCMIntegrations", {
        filter: { runnerIds: [RUNNER_EU_ID] },
        pagination: { pageSize: 100, ...(token && { token }) },
      });
      token = result.pagination.nextToken;
      pages += 1;
    } while (token);
    expect(pages).toBe(10);
    // 1000 items on 10 pages: a full scan per page would look at 40 000 objects.
    expect(e.state.listScanned - start2).toBeLessThanOrEqual(1000 + pages);
  });
});
