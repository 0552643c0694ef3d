import { describe, expect, it } from "vitest";
import { GitpodApiError } from "../../shared/api/index.js";
import { RUNNER_EU_ID } from "../emulator/index.js";
import { json } from "./raw-server.js";
import { clientFor, emulator, rawServer, rejectionOf } from "./setup.js";

/** Each Connect code with the HTTP status a Connect server sends it with, and whether to retry. */
const CONNECT_CODES: Array<[code: string, status: number, retryable: boolean]> = [
  ["canceled", 499, false],
  ["unknown", 500, false],
  ["invalid_argument", 400, false],
  ["deadline_exceeded", 504, true],
  ["not_found", 404, false],
  ["already_exists", 409, false],
  ["permission_denied", 403, false],
  ["resource_exhausted", 429, true],
  ["failed_precondition", 400, false],
  ["aborted", 409, false],
  ["out_of_range", 400, false],
  ["unimplemented", 501, false],
  ["internal", 500, false],
  ["unavailable", 503, true],
  ["data_loss", 500, false],
  ["unauthenticated", 401, false],
];

describe("Connect error bodies", () => {
  it.each(CONNECT_CODES)("decodes %s (HTTP %i)", async (code, status, retryable) => {
    const server = await rawServer((_req, res) =>
      json(res, status, {
        code,
        message: `something about ${code}`,
        details: [{ type: "x.Y", value: "AA" }],
      }),
    );
    const client = clientFor(server.url, "t", { maxRetries: 0 });
    const error = await rejectionOf(client.scmIntegrations.get({ id: "i-1" }));
    expect(error).toBeInstanceOf(GitpodApiError);
    expect(error).toMatchObject({
      name: "GitpodApiError",
      code,
      status,
      rpc: "GetSCMIntegration",
      retryable,
      outcomeUnknown: false,
      rawMessage: `something about ${code}`,
      details: [{ type: "x.Y", value: "AA" }],
    });
    // A rejected token also says where it was set (here the apiKey option: the client was given it).
    const advice = code === "unauthenticated" ? "; check the apiKey option" : "";
    expect((error as Error).message).toBe(
      `GetSCMIntegration failed: ${code}: something about ${code} (HTTP ${status})${advice}`,
    );
  });

  it("decodes the emulator's not_found for a missing integration", async () => {
    const emu = await emulator();
    const client = clientFor(emu.url, emu.token);
    const missing = "00000000-0000-4000-8000-000000000000";
    const error = await rejectionOf(client.scmIntegrations.get({ id: missing }));
    expect(error).toMatchObject({ code: "not_found", status: 404, retryable: false });
    expect((error as Error).message).toMatch(
      new RegExp(`^GetSCMIntegration failed: not_found: .*${missing}.* \\(HTTP 404\\)$`),
    );
    expect(emu.requests.count()).toBe(1);
  });

  it("decodes a missing bearer token as unauthenticated", async () => {
    const emu = await emulator();
    const client = clientFor(emu.url, "wrong-token");
    const error = await rejectionOf(client.schema.get({ runnerId: RUNNER_EU_ID }));
    expect(error).toMatchObject({ code: "unauthenticated", status: 401, retryable: false });
  });
});

describe("error pages that are not Connect JSON", () => {
  const pages: Array<[status: number, body: string, code: string, retryable: boolean]> = [
    [502, "<html><body>502 Bad Gateway</body></html>", "unavailable", true],
    [503, "Service Unavailable", "unavailable", true],
    [504, "<html>Gateway Timeout</html>", "unavailable", true],
    [429, "slow down", "unavailable", true],
    [401, "Unauthorized", "unauthenticated", false],
    [403, "<h1>Forbidden</h1>", "permission_denied", false],
    [404, "404 page not found", "unimplemented", false],
    [500, "oops", "internal", false],
    [418, "", "unknown", false],
  ];

  it.each(pages)("maps HTTP %i from its status", async (status, body, code, retryable) => {
    const server = await rawServer((_req, res) => {
      res.writeHead(status, { "content-type": "text/html" });
      res.end(body);
    });
    const client = clientFor(server.url, "t", { maxRetries: 0 });
    const error = await rejectionOf(client.schema.get({ runnerId: "r" }));
    expect(error).toMatchObject({ code, status, retryable, rpc: "GetRunnerConfigurationSchema" });
    expect((error as Error).message).toContain(`(HTTP ${status})`);
    if (body) expect((error as Error).message).toContain(body.slice(0, 20));
  });

  it("maps JSON that is not a Connect error (no code) from the status too", async () => {
    const server = await rawServer((_req, res) => json(res, 403, { error: "blocked by policy" }));
    const client = clientFor(server.url, "t", { maxRetries: 0 });
    const error = await rejectionOf(client.schema.get({ runnerId: "r" }));
    expect(error).toMatchObject({ code: "permission_denied", status: 403 });
  });
});

describe("responses", () => {
  it("reports a malformed response with the RPC and the field path", async () => {
    const integrations = [0, 1, 2, 3].map((n) => ({ id: n === 3 ? 42 : `i-${n}`, runnerId: "r" }));
    const server = await rawServer((_req, res) => json(res, 200, { integrations }));
    const client = clientFor(server.url, "t");
    const error = await rejectionOf(client.scmIntegrations.list().toArray());
    expect(error).toMatchObject({ rpc: "ListSCMIntegrations", code: "internal", retryable: false });
    expect((error as Error).message).toMatch(
      /^ListSCMIntegrations failed: internal: response field integrations\[3\]\.id: .*expected string/,
    );
    expect(server.requests).toHaveLength(1);
  });

  it("names nested paths, and says so in words when an optional object is left out", async () => {
    const answers: unknown[] = [
      { environmentClass: { id: "e", runnerId: "r", configuration: [{ key: 1 }] } },
      {},
    ];
    const server = await rawServer((req, res) => json(res, 200, answers[req.count - 1]));
    const client = clientFor(server.url, "t");
    const nested = await rejectionOf(client.environmentClasses.get({ environmentClassId: "e" }));
    expect((nested as Error).message).toContain("response field environmentClass.configuration[0].key:");
    const missing = await rejectionOf(client.environmentClasses.get({ environmentClassId: "e" }));
    // The spec makes `environmentClass` optional: not a schema error, but nothing to return either.
    expect((missing as Error).message).toContain(
      "GetEnvironmentClass failed: unknown: the answer did not include environment class e",
    );
    expect((missing as Error).message).not.toContain("response field");
  });

  it("reports a 200 answer that is not JSON", async () => {
    const server = await rawServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>login page</html>");
    });
    const client = clientFor(server.url, "t");
    const error = await rejectionOf(client.schema.get({ runnerId: "r" }));
    expect(error).toMatchObject({ code: "internal", status: 200 });
    expect((error as Error).message).toContain("not JSON");
  });

  it("tolerates unknown fields and enum values this client does not know", async () => {
    const server = await rawServer((_req, res) =>
      json(res, 200, {
        tokens: [
          {
            id: "t1",
            source: "HOST_AUTHENTICATION_TOKEN_SOURCE_FUTURE",
            newField: { x: 1 },
            subject: { principal: "PRINCIPAL_ALIEN", extra: true },
          },
        ],
        pagination: { nextToken: "", totalSize: 1 },
        somethingNew: true,
      }),
    );
    const client = clientFor(server.url, "t");
    const tokens = await client.hostAuthenticationTokens.list().toArray();
    expect(tokens).toEqual([
      {
        id: "t1",
        source: "HOST_AUTHENTICATION_TOKEN_SOURCE_FUTURE",
        subject: { principal: "PRINCIPAL_ALIEN" },
      },
    ]);
  });

  it("accepts an empty body for an RPC that answers {}", async () => {
    const server = await rawServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end();
    });
    const client = clientFor(server.url, "t");
    await expect(client.scmIntegrations.delete({ id: "x" })).resolves.toBeUndefined();
  });
});
