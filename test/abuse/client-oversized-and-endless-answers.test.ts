/**
 * A hostile or broken server that floods the client: an answer of many megabytes (declared or
 * streamed without a length) and a List RPC that hands out a fresh page token forever, or the same
 * one again. The client stops with a clear error and does not retry.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_RESPONSE_BYTES, GitpodApiError, MAX_PAGES } from "../../shared/api/index.js";
import { json } from "../client/raw-server.js";
import { clientFor, rawServer, rejectionOf } from "../client/setup.js";

const MB = 1024 * 1024;

describe("oversized answers", () => {
  it("stops reading a streamed 64 MB answer at the limit, and does not retry", async () => {
    let sentBytes = 0;
    const server = await rawServer((_request, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      // No content-length: the client only finds out by reading.
      const chunk = Buffer.alloc(MB, 0x20);
      let left = 64;
      const pump = () => {
        while (left > 0) {
          left -= 1;
          sentBytes += chunk.length;
          if (!res.write(chunk)) {
            res.once("drain", pump);
            return;
          }
        }
        res.end();
      };
      res.on("error", () => {});
      pump();
    });
    const client = clientFor(server.url, "token-abcdef");
    const before = process.memoryUsage().rss;
    const error = await rejectionOf(client.schema.get({ runnerId: "r" }));
    expect(error).toBeInstanceOf(GitpodApiError);
    expect(error).toMatchObject({ code: "resource_exhausted", retryable: false, status: 200 });
    expect((error as Error).message).toContain(`larger than ${DEFAULT_MAX_RESPONSE_BYTES} bytes`);
    expect(server.requests).toHaveLength(1);
    // It hung up long before the server could push all 64 MB.
    expect(sentBytes).toBeLessThan(32 * MB);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * MB);
  });

  it("refuses an answer whose declared length is over the limit without reading it", async () => {
    const server = await rawServer((_request, res) => {
      res.writeHead(503, { "content-type": "text/html", "content-length": String(2 * 1024 * MB) });
      res.write("<html>");
      res.on("error", () => {});
    });
    const client = clientFor(server.url, "token-abcdef");
    const error = await rejectionOf(client.environmentClasses.get({ environmentClassId: "x" }));
    expect(error).toMatchObject({ code: "resource_exhausted", retryable: false, status: 503 });
    expect(server.requests).toHaveLength(1);
  });

  it("says a create answered with a flood may or may not have happened", async () => {
    const server = await rawServer((_request, res) => {
      res.writeHead(200, { "content-length": String(10 * MB) });
      res.write("{");
      res.on("error", () => {});
    });
    const client = clientFor(server.url, "token-abcdef");
    const error = await rejectionOf(
      client.environmentClasses.create({ runnerId: "r", displayName: "x", configuration: [] }),
    );
    expect(error).toMatchObject({ outcomeUnknown: true, retryable: false });
    expect((error as Error).message).toContain("may or may not have happened");
    expect(server.requests).toHaveLength(1);
  });
});

describe("endless pagination", () => {
  it(`stops after ${MAX_PAGES} pages of fresh tokens with a clear error`, async () => {
    const server = await rawServer((request, res) =>
      json(res, 200, { environmentClasses: [], pagination: { nextToken: `t${request.count}` } }),
    );
    const client = clientFor(server.url, "token-abcdef");
    const error = await rejectionOf(
      client.environmentClasses.list({ filter: { runnerIds: ["r"] } }).toArray(),
    );
    expect(error).toMatchObject({ code: "out_of_range", rpc: "ListEnvironmentClasses" });
    expect((error as Error).message).toContain(`past ${MAX_PAGES} pages`);
    expect(server.requests).toHaveLength(MAX_PAGES);
  });

  it("stops when the server hands out a token it already gave", async () => {
    const server = await rawServer((request, res) =>
      json(res, 200, { environmentClasses: [], pagination: { nextToken: request.count % 2 ? "a" : "b" } }),
    );
    const client = clientFor(server.url, "token-abcdef");
    const error = await rejectionOf(
      client.environmentClasses.list({ filter: { runnerIds: ["r"] } }).toArray(),
    );
    expect((error as Error).message).toContain("repeated a page token");
    expect(server.requests).toHaveLength(3);
  });
});
