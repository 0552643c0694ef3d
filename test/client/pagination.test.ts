import { describe, expect, it } from "vitest";
import { PAGE_SIZE } from "../../shared/api/index.js";
import type { Emulator } from "../emulator/index.js";
import { json } from "./raw-server.js";
import { clientFor, emulator, rawServer, rejectionOf } from "./setup.js";

interface ListBody {
  filter?: unknown;
  pagination?: { token?: string; pageSize?: number };
}

/** The pagination the client sent with each request of one List RPC. */
function paginationSent(emu: Emulator, rpc: string) {
  return emu.requests.all(rpc).map((entry) => (entry.body as ListBody).pagination);
}

async function seededEmulator(count: number) {
  const emu = await emulator();
  const runnerId = emu.state.addRunner({ name: "paging" });
  for (let i = 0; i < count; i++) {
    emu.state.seedEnvironmentClass({ runnerId, displayName: `Class ${i}` });
    emu.state.seedScmIntegration({ runnerId, scmId: "gitlab", host: `git${i}.example.com`, pat: true });
    emu.state.seedHostToken({ runnerId, host: `git${i}.example.com`, userId: `user-${i}` });
  }
  return { emu, runnerId };
}

describe("PageIterator", () => {
  it("walks every page of every List RPC, 100 at a time, following nextToken", async () => {
    const { emu, runnerId } = await seededEmulator(250);
    const client = clientFor(emu.url, emu.token);

    const classes = await client.environmentClasses.list({ filter: { runnerIds: [runnerId] } }).toArray();
    expect(classes.map((c) => c.displayName)).toEqual(Array.from({ length: 250 }, (_, i) => `Class ${i}`));
    const integrations = await client.scmIntegrations.list({ filter: { runnerIds: [runnerId] } }).toArray();
    expect(new Set(integrations.map((i) => i.host)).size).toBe(250);
    const tokens = await client.hostAuthenticationTokens.list({ filter: { runnerId } }).toArray();
    expect(new Set(tokens.map((t) => t.id)).size).toBe(250);

    for (const rpc of ["ListEnvironmentClasses", "ListSCMIntegrations", "ListHostAuthenticationTokens"]) {
      const sent = paginationSent(emu, rpc);
      expect(sent).toHaveLength(3);
      expect(sent.map((p) => p?.pageSize)).toEqual([PAGE_SIZE, PAGE_SIZE, PAGE_SIZE]);
      expect(sent[0]?.token).toBeUndefined();
      expect(sent[1]?.token).toBeTruthy();
      expect(sent[2]?.token).toBeTruthy();
      expect(sent[2]?.token).not.toBe(sent[1]?.token);
    }
    // The filter goes with every page, not only the first.
    for (const entry of emu.requests.all("ListEnvironmentClasses")) {
      expect((entry.body as ListBody).filter).toEqual({ runnerIds: [runnerId] });
    }
  });

  it("yields raw pages with pages() and items with for await", async () => {
    const { emu, runnerId } = await seededEmulator(201);
    const client = clientFor(emu.url, emu.token);
    const sizes: number[] = [];
    for await (const page of client.environmentClasses.list({ filter: { runnerIds: [runnerId] } }).pages()) {
      sizes.push(page.items.length);
    }
    expect(sizes).toEqual([100, 100, 1]);
    let count = 0;
    for await (const item of client.environmentClasses.list({ filter: { runnerIds: [runnerId] } })) {
      expect(item.runnerId).toBe(runnerId);
      count += 1;
    }
    expect(count).toBe(201);
  });

  it("fetches lazily: breaking out early asks for no more pages", async () => {
    const { emu, runnerId } = await seededEmulator(250);
    const client = clientFor(emu.url, emu.token);
    for await (const item of client.scmIntegrations.list({ filter: { runnerIds: [runnerId] } })) {
      if (item.host === "git5.example.com") break;
    }
    expect(emu.requests.count("ListSCMIntegrations")).toBe(1);
  });

  it("stops on an empty or absent nextToken", async () => {
    const answers = [
      { integrations: [{ id: "a", runnerId: "r" }], pagination: { nextToken: "" } },
      { integrations: [] },
    ];
    const server = await rawServer((req, res) => json(res, 200, answers[req.count - 1]));
    const client = clientFor(server.url, "t");
    expect(await client.scmIntegrations.list().toArray()).toHaveLength(1);
    expect(await client.scmIntegrations.list().toArray()).toEqual([]);
    expect(server.requests).toHaveLength(2);
  });

  it("stops with an error when the server hands out a token it gave before", async () => {
    const tokens = ["a", "b", "a", "b"];
    const server = await rawServer((req, res) =>
      json(res, 200, {
        environmentClasses: [{ id: `x${req.count}`, runnerId: "r" }],
        pagination: { nextToken: tokens[req.count - 1] },
      }),
    );
    const client = clientFor(server.url, "t");
    const error = await rejectionOf(client.environmentClasses.list().toArray());
    expect(error).toMatchObject({ code: "internal", rpc: "ListEnvironmentClasses" });
    expect((error as Error).message).toMatch(/repeated a page token/);
    expect(server.requests).toHaveLength(3);
  });
});
