import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RUNNER_EU_ID, RUNNER_US_ID } from "../emulator/fixtures.js";
import { call, ok } from "../emulator/helpers.js";
import { type Emulator, startEmulator } from "../emulator/index.js";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.state.reset());

function seedClasses(count: number, runnerId = RUNNER_EU_ID): string[] {
  return Array.from(
    { length: count },
    (_, index) => emu.state.seedEnvironmentClass({ runnerId, displayName: `class ${index}` }).id,
  );
}

describe("pagination", () => {
  it("pages through the body's pagination in creation order, 25 by default", async () => {
    const ids = seedClasses(60);
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const body = await ok(emu, "ListEnvironmentClasses", { pagination: token ? { token } : {} });
      pages.push(body.environmentClasses.map((c: { id: string }) => c.id));
      token = body.pagination?.nextToken;
    } while (token);
    expect(pages.map((page) => page.length)).toEqual([25, 25, 10]);
    expect(pages.flat()).toEqual(ids);
  });

  it("pages through query parameters as the official SDK sends them", async () => {
    const ids = seedClasses(7);
    const first = await ok(emu, "ListEnvironmentClasses", {}, { query: { pageSize: "3" } });
    expect(first.environmentClasses).toHaveLength(3);
    const second = await ok(
      emu,
      "ListEnvironmentClasses",
      { pagination: { pageSize: 50 } },
      { query: { pageSize: "3", token: first.pagination.nextToken } },
    );
    const third = await ok(
      emu,
      "ListEnvironmentClasses",
      {},
      { query: { pageSize: "3", token: second.pagination.nextToken } },
    );
    expect(third.environmentClasses).toHaveLength(1);
    expect(third.pagination?.nextToken).toBeUndefined();
    const seen = [first, second, third].flatMap((page) =>
      page.environmentClasses.map((c: { id: string }) => c.id),
    );
    expect(seen).toEqual(ids);
  });

  it("omits nextToken when the last page is exactly full", async () => {
    seedClasses(4);
    const first = await ok(emu, "ListEnvironmentClasses", { pagination: { pageSize: 2 } });
    const second = await ok(emu, "ListEnvironmentClasses", {
      pagination: { pageSize: 2, token: first.pagination.nextToken },
    });
    expect(second.environmentClasses).toHaveLength(2);
    expect(second.pagination?.nextToken).toBeUndefined();
  });

  it("accepts a page size of 100, uses 25 for 0 and rejects 101 and negative sizes", async () => {
    seedClasses(120);
    expect(
      (await ok(emu, "ListEnvironmentClasses", { pagination: { pageSize: 100 } })).environmentClasses,
    ).toHaveLength(100);
    expect(
      (await ok(emu, "ListEnvironmentClasses", { pagination: { pageSize: 0 } })).environmentClasses,
    ).toHaveLength(25);
    for (const body of [{ pagination: { pageSize: 101 } }, { pagination: { pageSize: -1 } }]) {
      const result = await call(emu, "ListEnvironmentClasses", body);
      expect(result.status).toBe(400);
      expect(result.json.code).toBe("invalid_argument");
    }
    const query = await call(emu, "ListEnvironmentClasses", {}, { query: { pageSize: "101" } });
    expect(query.status).toBe(400);
    const notNumber = await call(emu, "ListEnvironmentClasses", {}, { query: { pageSize: "ten" } });
    expect(notNumber.status).toBe(400);
  });

  it("rejects a token it did not issue", async () => {
    const result = await call(emu, "ListSCMIntegrations", { pagination: { token: "not-a-token" } });
    expect(result.status).toBe(400);
    expect(result.json.code).toBe("invalid_argument");
  });

  it("neither skips nor repeats items when earlier items are deleted between pages", async () => {
    const tokens = Array.from(
      { length: 6 },
      (_, index) => emu.state.seedHostToken({ runnerId: RUNNER_EU_ID, host: `h${index}.example.com` }).id,
    );
    const first = await ok(emu, "ListHostAuthenticationTokens", { pagination: { pageSize: 3 } });
    await ok(emu, "DeleteHostAuthenticationToken", { id: tokens[0] });
    await ok(emu, "DeleteHostAuthenticationToken", { id: tokens[1] });
    const second = await ok(emu, "ListHostAuthenticationTokens", {
      pagination: { pageSize: 3, token: first.pagination.nextToken },
    });
    expect(second.tokens.map((t: { id: string }) => t.id)).toEqual(tokens.slice(3));
  });

  it("applies filters before paging", async () => {
    seedClasses(30, RUNNER_US_ID);
    const eu = seedClasses(30, RUNNER_EU_ID);
    const first = await ok(emu, "ListEnvironmentClasses", { filter: { runnerIds: [RUNNER_EU_ID] } });
    const second = await ok(emu, "ListEnvironmentClasses", {
      filter: { runnerIds: [RUNNER_EU_ID] },
      pagination: { token: first.pagination.nextToken },
    });
    expect(
      [...first.environmentClasses, ...second.environmentClasses].map((c: { id: string }) => c.id),
    ).toEqual(eu);
  });

  it("lists 10,000 objects in 100 pages quickly", async () => {
    for (let index = 0; index < 10_000; index += 1) {
      emu.state.seedHostToken({ runnerId: index % 2 ? RUNNER_EU_ID : RUNNER_US_ID, host: "github.com" });
    }
    const started = performance.now();
    let token: string | undefined;
    let count = 0;
    do {
      const body = await ok(emu, "ListHostAuthenticationTokens", {
        pagination: { pageSize: 100, ...(token && { token }) },
      });
      count += body.tokens.length;
      token = body.pagination?.nextToken;
    } while (token);
    expect(count).toBe(10_000);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
