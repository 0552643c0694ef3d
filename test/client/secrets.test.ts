import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { GitpodApiError, type GitpodClient } from "../../shared/api/index.js";
import { RUNNER_EU_ID } from "../emulator/index.js";
import { waitUntil } from "../support/wait.js";
import { json } from "./raw-server.js";
import { clientFor, emulator, rawServer, rejectionOf } from "./setup.js";

const CANARY = {
  apiKey: "api-key-canary-9f3e7d",
  clientSecret: "oauth-secret-canary-71ab",
  token: "gho_token_canary_55c1",
  refreshToken: "ghr_refresh_canary_0d2e",
  llmApiKey: "sk-ant-llm-key-canary-3c8a",
  literalHeader: "Bearer gateway-header-canary-e41f",
} as const;
/** The literal header value as it travels: protojson bytes are base64. */
const LITERAL_HEADER_ON_WIRE = Buffer.from(CANARY.literalHeader).toString("base64");

/** Every string form an error can take when a caller prints, logs or serialises it. */
function everyFormOf(error: unknown): string[] {
  const err = error as GitpodApiError;
  const cause = err.cause as Error | undefined;
  return [
    String(err),
    err.message,
    err.stack ?? "",
    err.rawMessage,
    JSON.stringify(err),
    JSON.stringify(err.details ?? null),
    inspect(err, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    cause ? `${String(cause)} ${cause.stack ?? ""} ${inspect(cause, { showHidden: true })}` : "",
  ];
}

function expectNoCanary(texts: string[]): void {
  const all = texts.join("\n");
  for (const value of [...Object.values(CANARY), LITERAL_HEADER_ON_WIRE]) expect(all).not.toContain(value);
}

/** One call per RPC that carries a secret, each with every secret field set to a canary. */
function callsWithSecrets(client: GitpodClient): Array<[string, () => Promise<unknown>]> {
  return [
    [
      "CreateSCMIntegration",
      () =>
        client.scmIntegrations.create({
          runnerId: RUNNER_EU_ID,
          scmId: "github",
          host: "github.com",
          oauthClientId: "client-id",
          oauthPlaintextClientSecret: CANARY.clientSecret,
        }),
    ],
    [
      "UpdateSCMIntegration",
      () => client.scmIntegrations.update({ id: "i", oauthPlaintextClientSecret: CANARY.clientSecret }),
    ],
    [
      "ValidateRunnerConfiguration",
      () =>
        client.validate({
          runnerId: RUNNER_EU_ID,
          scmIntegration: { scmId: "github", oauthPlaintextClientSecret: CANARY.clientSecret },
        }),
    ],
    [
      "CreateHostAuthenticationToken",
      () =>
        client.hostAuthenticationTokens.create({
          runnerId: RUNNER_EU_ID,
          host: "github.com",
          token: CANARY.token,
          refreshToken: CANARY.refreshToken,
        }),
    ],
    [
      "UpdateHostAuthenticationToken",
      () =>
        client.hostAuthenticationTokens.update({
          id: "t",
          token: CANARY.token,
          refreshToken: CANARY.refreshToken,
        }),
    ],
    [
      "CreateLLMIntegration",
      () =>
        client.llmIntegrations.create({
          runnerId: RUNNER_EU_ID,
          models: ["SUPPORTED_MODEL_SONNET_4"],
          endpoint: "https://llm.example.com/v1",
          apiKey: CANARY.llmApiKey,
        }),
    ],
    [
      "UpdateLLMIntegration",
      () =>
        client.llmIntegrations.update({
          id: "0b6f3c1e-2d4a-4f5b-8c9d-1e2f3a4b5c6d",
          apiKey: CANARY.llmApiKey,
          requestHeaders: [
            {
              key: "authorization",
              value: CANARY.literalHeader,
              headerType: "LLM_INTEGRATION_REQUEST_HEADER_TYPE_LITERAL",
            },
            {
              key: "x-team",
              value: "request.user.team",
              headerType: "LLM_INTEGRATION_REQUEST_HEADER_TYPE_CEL_EXPRESSION",
            },
          ],
        }),
    ],
  ];
}

describe("secrets never leave the client", () => {
  it("are scrubbed from Connect errors that echo the request and the bearer token", async () => {
    const server = await rawServer((req, res) =>
      json(res, 400, {
        code: "invalid_argument",
        message: `bad request ${req.body}; authorization: ${req.headers.authorization}`,
        details: [{ type: "debug", value: "AA", debug: { echo: req.body, token: CANARY.token } }],
      }),
    );
    const lines: string[] = [];
    const client = clientFor(server.url, CANARY.apiKey, {
      logger: { debug: (message, fields) => lines.push(`${message} ${JSON.stringify(fields)}`) },
    });
    for (const [rpc, call] of callsWithSecrets(client)) {
      const error = await rejectionOf(call());
      expect(error).toBeInstanceOf(GitpodApiError);
      expect(error).toMatchObject({ rpc, code: "invalid_argument" });
      // The rest of the echo survives: only the secrets are cut out.
      expect((error as Error).message).toContain("[redacted]");
      expect((error as Error).message).toContain("bad request {");
      expectNoCanary(everyFormOf(error));
    }
    expect(server.requests).toHaveLength(7);
    expect(lines).toHaveLength(7);
    expectNoCanary(lines);
  });

  it("are scrubbed from non-JSON error pages, even where the page is cut short", async () => {
    // The secret starts at character 190 and the echoed page is cut at 200: its head would remain.
    const server = await rawServer((req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      const body = JSON.parse(req.body) as {
        oauthPlaintextClientSecret?: string;
        token?: string;
        apiKey?: string;
        requestHeaders?: Array<{ value: string }>;
      };
      // An update of an LLM integration: the page echoes the literal header as it travelled (base64).
      const secret =
        body.requestHeaders?.[0]?.value ?? body.oauthPlaintextClientSecret ?? body.token ?? body.apiKey ?? "";
      res.end(`<html>${"x".repeat(184)}${secret} ${CANARY.apiKey}</html>`);
    });
    const client = clientFor(server.url, CANARY.apiKey, { maxRetries: 0 });
    for (const [, call] of callsWithSecrets(client)) {
      const error = await rejectionOf(call());
      expect(error).toMatchObject({ status: 502 });
      expectNoCanary(everyFormOf(error));
      for (const value of [...Object.values(CANARY), LITERAL_HEADER_ON_WIRE])
        expect(String(error)).not.toContain(value.slice(0, 8));
    }
  });

  it("are kept out of network failures, timeouts and cancellations", async () => {
    const emu = await emulator();
    emu.faults.add({ kind: "reset", rpc: "CreateSCMIntegration", nth: 1 });
    emu.faults.add({ kind: "hang", rpc: "CreateHostAuthenticationToken" });
    emu.faults.add({ kind: "hang", rpc: "UpdateHostAuthenticationToken" });
    const lines: string[] = [];
    const client = clientFor(emu.url, CANARY.apiKey, {
      timeoutMs: 100,
      maxRetries: 0,
      logger: { debug: (message, fields) => lines.push(`${message} ${JSON.stringify(fields)}`) },
    });
    const calls = callsWithSecrets(client);
    const reset = await rejectionOf((calls[0]?.[1] ?? (() => Promise.resolve()))());
    expect(reset).toMatchObject({ code: "unavailable" });
    const timeout = await rejectionOf((calls[3]?.[1] ?? (() => Promise.resolve()))());
    expect(timeout).toMatchObject({ code: "deadline_exceeded" });
    const controller = new AbortController();
    // Cancelled while it hangs at the emulator; its own timeout is out of the way, so only the abort ends it.
    const pending = rejectionOf(
      client.hostAuthenticationTokens.update(
        { id: "t", token: CANARY.token },
        { signal: controller.signal, timeoutMs: 30_000 },
      ),
    );
    await waitUntil(() => emu.requests.count("UpdateHostAuthenticationToken") === 1, {
      what: "the update to hang at the emulator",
    });
    controller.abort(new Error(`aborted with ${CANARY.token}`));
    const canceled = await pending;
    expect(canceled).toMatchObject({ code: "canceled" });
    for (const error of [reset, timeout, canceled]) expectNoCanary(everyFormOf(error));
    expectNoCanary(lines);
  });

  it("are kept out of a local invalid_argument", async () => {
    const server = await rawServer((_req, res) => json(res, 200, {}));
    const client = clientFor(server.url, CANARY.apiKey);
    const error = await rejectionOf(
      client.hostAuthenticationTokens.create({
        runnerId: RUNNER_EU_ID,
        // @ts-expect-error: a wrong type on purpose, next to real secrets
        host: 443,
        token: CANARY.token,
        refreshToken: CANARY.refreshToken,
      }),
    );
    expect(error).toMatchObject({ code: "invalid_argument" });
    expectNoCanary(everyFormOf(error));
    expect(server.requests).toHaveLength(0);
  });
});
