/**
 * A server that echoes the secrets it was sent: in a Connect error message with JSON escapes
 * (`\u0026`-style, which hide the secret from a scan of the raw text), in error details, and inside
 * the fields of a 200 answer. None of it may come out of the client in clear.
 */
import { describe, expect, it } from "vitest";
import { REDACTED } from "../../shared/api/index.js";
import { json } from "../client/raw-server.js";
import { clientFor, rawServer, rejectionOf } from "../client/setup.js";

const CLIENT_SECRET = "cs&live<secret>=42";
const API_KEY = "gitpod_pat_canary_7f3a";

/** JSON text where every character of the secret is a \uXXXX escape. */
function escaped(text: string): string {
  return [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
}

const validateRequest = {
  runnerId: "r",
  scmIntegration: {
    scmId: "github",
    host: "github.com",
    oauthClientId: "id",
    oauthPlaintextClientSecret: CLIENT_SECRET,
  },
};

describe("secrets echoed by the server", () => {
  it("scrubs a secret spelled with \\u escapes out of a Connect error message", async () => {
    const server = await rawServer((_request, res) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(
        `{"code":"invalid_argument","message":"bad secret ${escaped(CLIENT_SECRET)} for token ${escaped(API_KEY)}"}`,
      );
    });
    const client = clientFor(server.url, API_KEY);
    const error = await rejectionOf(client.validate(validateRequest));
    const seen = JSON.stringify({ message: (error as Error).message, error });
    expect(seen).not.toContain(CLIENT_SECRET);
    expect(seen).not.toContain(API_KEY);
    expect((error as Error).message).toContain(`bad secret ${REDACTED} for token ${REDACTED}`);
  });

  it("scrubs every string of a 200 answer (oauthError, hostError) of every secret the client holds", async () => {
    const otherSecret = "other-integration-secret-99";
    const server = await rawServer((_request, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        `{"scmIntegration":{"oauthError":"client secret ${escaped(CLIENT_SECRET)} was rejected","hostError":"also ${otherSecret} and ${API_KEY}"}}`,
      );
    });
    const client = clientFor(server.url, API_KEY, { secrets: [otherSecret] });
    const answer = await client.validate(validateRequest);
    const text = JSON.stringify(answer);
    expect(text).not.toContain(CLIENT_SECRET);
    expect(text).not.toContain(otherSecret);
    expect(text).not.toContain(API_KEY);
    expect(answer.scmIntegration?.oauthError).toBe(`client secret ${REDACTED} was rejected`);
  });

  it("keeps a secret sent in one call out of the answers of later calls", async () => {
    const server = await rawServer((request, res) =>
      request.path.endsWith("/ValidateRunnerConfiguration")
        ? json(res, 200, {})
        : json(res, 200, {
            environmentClass: { id: "c1", runnerId: "r", displayName: `leaked ${CLIENT_SECRET}` },
          }),
    );
    const client = clientFor(server.url, API_KEY);
    await client.validate(validateRequest);
    const got = await client.environmentClasses.get({ environmentClassId: "c1" });
    expect(got.displayName).toBe(`leaked ${REDACTED}`);
  });

  it("answers without escapes or secrets come back untouched", async () => {
    const server = await rawServer((_request, res) =>
      json(res, 200, {
        environmentClass: { id: "c1", runnerId: "r", displayName: "Large", description: "a & b" },
      }),
    );
    const client = clientFor(server.url, API_KEY);
    expect(await client.environmentClasses.get({ environmentClassId: "c1" })).toMatchObject({
      id: "c1",
      displayName: "Large",
      description: "a & b",
    });
  });
});

describe("proxy credentials echoed by the proxy", () => {
  it("scrubs the proxy password from an error page the proxy sends back", async () => {
    const password = "pr0xy-S3cret%2Fcanary";
    const proxy = await rawServer((request, res) => {
      const auth = Buffer.from(
        String(request.headers["proxy-authorization"] ?? "").replace(/^Basic /, ""),
        "base64",
      ).toString("utf8");
      res.writeHead(502, { "content-type": "text/html" });
      res.end(
        `<html>upstream refused for ${auth} via ${String(request.headers["x-proxy-url"] ?? "")}</html>`,
      );
    });
    const proxyUrl = `${proxy.url.replace("//", `//ops:${password}@`)}`;
    const client = clientFor("http://api.invalid", API_KEY, { env: { HTTP_PROXY: proxyUrl }, maxRetries: 0 });
    const error = await rejectionOf(client.schema.get({ runnerId: "r" }));
    expect(proxy.requests).toHaveLength(1);
    const text = JSON.stringify({ message: (error as Error).message, error });
    expect((error as Error).message).toContain(`upstream refused for ops:${REDACTED}`);
    expect(text).not.toContain(decodeURIComponent(password));
    expect(text).not.toContain(password);
  });
});
