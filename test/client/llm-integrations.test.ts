/**
 * The five LLM-integration RPCs through the client against the emulator, and against hostile
 * servers that echo the API key and literal header values back.
 */
import { describe, expect, it } from "vitest";
import { GitpodApiError, REDACTED } from "../../shared/api/index.js";
import { RUNNER_EU_ID, RUNNER_US_ID } from "../emulator/index.js";
import { json } from "./raw-server.js";
import { clientFor, emulator, rawServer, rejectionOf } from "./setup.js";

const KEY = "sk-ant-canary-key-5d1e9b";
const ROTATED_KEY = "sk-ant-canary-key-rotated-77aa";
const LITERAL = "Bearer canary-gateway-header-0c3f";
const base64 = (text: string) => Buffer.from(text).toString("base64");

describe("LLM integrations through the client", () => {
  it("create, get, list, update and delete, in protojson forms on the wire", async () => {
    const emu = await emulator();
    const client = clientFor(emu.url, emu.token);
    const { id } = await client.llmIntegrations.create({
      runnerId: RUNNER_EU_ID,
      models: ["SUPPORTED_MODEL_SONNET_4", "SUPPORTED_MODEL_OPUS_4_5"],
      endpoint: "https://llm.example.com/v1",
      apiKey: KEY,
      maxTokens: 4096,
    });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    // uint64 travels as a decimal string; the key is stored only encrypted for the runner.
    expect(emu.requests.last("CreateLLMIntegration")?.body).toMatchObject({ maxTokens: "4096", apiKey: KEY });
    expect(emu.state.decryptApiKey(id ?? "")).toBe(KEY);

    const read = await client.llmIntegrations.get({ id: id ?? "" });
    expect(read).toMatchObject({
      id,
      runnerId: RUNNER_EU_ID,
      models: ["SUPPORTED_MODEL_SONNET_4", "SUPPORTED_MODEL_OPUS_4_5"],
      endpoint: "https://llm.example.com/v1",
      maxTokens: 4096,
      phase: "LLM_INTEGRATION_PHASE_AVAILABLE",
      provider: "LLM_PROVIDER_ANTHROPIC",
      requestHeaders: [],
    });
    expect(read.encryptedApiKey).toBeTruthy();
    expect(JSON.stringify(read)).not.toContain(KEY);

    await client.llmIntegrations.update({
      id: id ?? "",
      apiKey: ROTATED_KEY,
      maxTokens: 0,
      requestHeaders: [
        { key: "authorization", value: LITERAL, headerType: "LLM_INTEGRATION_REQUEST_HEADER_TYPE_LITERAL" },
        {
          key: "x-user",
          value: "user.email",
          headerType: "LLM_INTEGRATION_REQUEST_HEADER_TYPE_CEL_EXPRESSION",
        },
      ],
    });
    expect(emu.requests.last("UpdateLLMIntegration")?.body).toMatchObject({
      maxTokens: "0",
      requestHeaders: [{ key: "authorization", value: base64(LITERAL) }, { value: base64("user.email") }],
    });
    expect(emu.state.decryptApiKey(id ?? "")).toBe(ROTATED_KEY);
    const updated = await client.llmIntegrations.get({ id: id ?? "" });
    expect(updated.maxTokens).toBe(0);
    // A literal value is a credential: never handed out. A CEL expression is plain text.
    expect(updated.requestHeaders).toEqual([
      { key: "authorization", value: REDACTED, headerType: "LLM_INTEGRATION_REQUEST_HEADER_TYPE_LITERAL" },
      {
        key: "x-user",
        value: "user.email",
        headerType: "LLM_INTEGRATION_REQUEST_HEADER_TYPE_CEL_EXPRESSION",
      },
    ]);
    // Models left out stay as they were.
    expect(updated.models).toEqual(["SUPPORTED_MODEL_SONNET_4", "SUPPORTED_MODEL_OPUS_4_5"]);

    await client.llmIntegrations.update({ id: id ?? "", phase: "LLM_INTEGRATION_PHASE_DISABLED" });
    expect(await client.llmIntegrations.get({ id: id ?? "" })).toMatchObject({
      phase: "LLM_INTEGRATION_PHASE_DISABLED",
      phaseReason: "user disabled",
    });

    await client.llmIntegrations.delete({ id: id ?? "" });
    const gone = await rejectionOf(client.llmIntegrations.get({ id: id ?? "" }));
    expect(gone).toMatchObject({ code: "not_found", rpc: "GetLLMIntegration" });
  });

  it("lists every page of one runner's integrations, with the runner filled in", async () => {
    const emu = await emulator();
    for (let index = 0; index < 130; index += 1) {
      emu.state.seedLlmIntegration({ runnerId: RUNNER_EU_ID, endpoint: `https://llm-${index}.example.com` });
    }
    emu.state.seedLlmIntegration({ runnerId: RUNNER_US_ID, models: ["SUPPORTED_MODEL_OPENAI_4O"] });
    const client = clientFor(emu.url, emu.token);
    const eu = await client.llmIntegrations.list({ filter: { runnerIds: [RUNNER_EU_ID] } }).toArray();
    expect(eu).toHaveLength(130);
    expect(new Set(eu.map((item) => item.runnerId))).toEqual(new Set([RUNNER_EU_ID]));
    expect(emu.requests.count("ListLLMIntegrations")).toBe(2);
    const all = await client.llmIntegrations.list().toArray();
    expect(all.find((item) => item.runnerId === RUNNER_US_ID)).toMatchObject({
      models: ["SUPPORTED_MODEL_OPENAI_4O"],
      provider: "LLM_PROVIDER_OPENAI",
      maxTokens: 0,
    });
  });

  it("reports an UNAVAILABLE integration with the service's reason", async () => {
    const emu = await emulator();
    const seeded = emu.state.seedLlmIntegration({ runnerId: RUNNER_EU_ID });
    emu.state.setLlmIntegrationPhase(seeded.id, "LLM_INTEGRATION_PHASE_UNAVAILABLE", "insufficient funds");
    const client = clientFor(emu.url, emu.token);
    expect(await client.llmIntegrations.get({ id: seeded.id })).toMatchObject({
      phase: "LLM_INTEGRATION_PHASE_UNAVAILABLE",
      phaseReason: "insufficient funds",
    });
  });

  it("refuses, without sending, empty lists in an update, an empty key and a max beyond 2^53", async () => {
    const server = await rawServer((_req, res) => json(res, 200, {}));
    const client = clientFor(server.url, "token-1234");
    for (const request of [
      { id: "0b6f3c1e-2d4a-4f5b-8c9d-1e2f3a4b5c6d", models: [] },
      { id: "0b6f3c1e-2d4a-4f5b-8c9d-1e2f3a4b5c6d", requestHeaders: [] },
    ]) {
      const error = await rejectionOf(client.llmIntegrations.update(request));
      expect(error).toBeInstanceOf(GitpodApiError);
      expect((error as Error).message).toContain("cannot be told from 'unchanged'");
    }
    const emptyKey = await rejectionOf(
      client.llmIntegrations.update({ id: "0b6f3c1e-2d4a-4f5b-8c9d-1e2f3a4b5c6d", apiKey: "" }),
    );
    expect((emptyKey as Error).message).toContain("request field apiKey");
    const tooMany = await rejectionOf(
      client.llmIntegrations.create({
        runnerId: RUNNER_EU_ID,
        models: ["SUPPORTED_MODEL_SONNET_4"],
        maxTokens: 2 ** 53,
      }),
    );
    expect((tooMany as Error).message).toContain("request field maxTokens");
    expect(server.requests).toHaveLength(0);
  });

  it("never hands out the key or a literal header value a hostile server echoes in an answer", async () => {
    const server = await rawServer((req, res) => {
      if (req.path.endsWith("/UpdateLLMIntegration")) return json(res, 200, {});
      json(res, 200, {
        integration: {
          id: "0b6f3c1e-2d4a-4f5b-8c9d-1e2f3a4b5c6d",
          endpoint: `https://echo/${KEY}`,
          phaseReason: `key ${KEY} header ${LITERAL}`,
          maxTokens: "12",
          requestHeaders: [
            { key: "authorization", value: base64(LITERAL) },
            {
              key: "x-echo",
              value: base64(`${LITERAL}`),
              headerType: "LLM_INTEGRATION_REQUEST_HEADER_TYPE_CEL_EXPRESSION",
            },
          ],
        },
      });
    });
    const lines: string[] = [];
    const client = clientFor(server.url, "token-1234", {
      logger: { debug: (message, fields) => lines.push(`${message} ${JSON.stringify(fields)}`) },
    });
    await client.llmIntegrations.update({
      id: "0b6f3c1e-2d4a-4f5b-8c9d-1e2f3a4b5c6d",
      apiKey: KEY,
      requestHeaders: [{ key: "authorization", value: LITERAL }],
    });
    const answer = await client.llmIntegrations.get({ id: "0b6f3c1e-2d4a-4f5b-8c9d-1e2f3a4b5c6d" });
    const text = JSON.stringify(answer) + lines.join("\n");
    for (const canary of [KEY, LITERAL, base64(LITERAL)]) expect(text).not.toContain(canary);
    expect(answer.maxTokens).toBe(12);
    expect(answer.requestHeaders[0]).toEqual({
      key: "authorization",
      value: REDACTED,
      headerType: "LLM_INTEGRATION_REQUEST_HEADER_TYPE_UNSPECIFIED",
    });
  });

  it("names the field when an answer's uint64 is not a number", async () => {
    const server = await rawServer((_req, res) => json(res, 200, { integration: { maxTokens: "lots" } }));
    const client = clientFor(server.url, "token-1234");
    const error = await rejectionOf(
      client.llmIntegrations.get({ id: "0b6f3c1e-2d4a-4f5b-8c9d-1e2f3a4b5c6d" }),
    );
    expect(error).toMatchObject({ code: "internal", rpc: "GetLLMIntegration" });
    expect((error as Error).message).toContain("integration.maxTokens");
  });
});
