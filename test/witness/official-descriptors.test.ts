/**
 * The witness itself: the official descriptors describe the 21 RPCs the client and the emulator
 * serve, and the set-up hook really judges the suite's traffic (answers always, requests of our
 * client unless a test opts out).
 */
import { describe, expect, it } from "vitest";
import { GitpodClient, RPC_NAMES } from "../../shared/api/index.js";
import { call } from "../emulator/helpers.js";
import { RUNNER_EU_ID, startEmulator } from "../emulator/index.js";
import { RPC_NAMES as EMULATOR_RPC_NAMES } from "../emulator/messages.js";
import { notifyExchange } from "../emulator/observer.js";
import { checkRequest, decodeAnswer, officialMethodNames } from "./official-descriptors.js";
import { acceptInvalidRequests, takeWitnessProblems } from "./witness.js";

async function withClient<T>(run: (client: GitpodClient) => Promise<T>): Promise<T> {
  const emu = await startEmulator();
  const client = new GitpodClient({ baseUrl: emu.url, apiKey: emu.token, env: {}, maxRetries: 0 });
  try {
    return await run(client);
  } finally {
    await client.close();
    await emu.close();
  }
}

describe("the official descriptors", () => {
  it("describe exactly the 21 RPCs our client and the emulator serve", () => {
    const official = officialMethodNames().sort();
    expect(official).toHaveLength(21);
    expect([...RPC_NAMES].sort()).toEqual(official);
    expect([...EMULATOR_RPC_NAMES].sort()).toEqual(official);
  });

  it("decode strictly: an unknown field or a wrong protojson form is refused", () => {
    expect(
      decodeAnswer(
        "GetLLMIntegration",
        '{"integration":{"maxTokens":"12","models":["SUPPORTED_MODEL_SONNET_4"]}}',
      ),
    ).toBeUndefined();
    expect(decodeAnswer("GetLLMIntegration", '{"integration":{"apiKey":"leaked"}}')).toContain(
      'key "apiKey" is unknown',
    );
    expect(decodeAnswer("GetLLMIntegration", '{"integration":{"encryptedApiKey":"not base64!"}}')).toContain(
      "encrypted_api_key",
    );
    expect(
      decodeAnswer("GetLLMIntegration", '{"integration":{"models":["SUPPORTED_MODEL_NOPE"]}}'),
    ).toContain("SUPPORTED_MODEL_NOPE");
  });

  it("carry the service's rules, and honour a message whose rules are disabled", () => {
    expect(checkRequest("CreateLLMIntegration", `{"runnerId":"${RUNNER_EU_ID}","models":[]}`)).toEqual([
      "models: repeated.min_items (must contain at least 1 item(s))",
    ]);
    expect(checkRequest("GetSCMIntegration", '{"id":"x"}')).toEqual([
      "id: string.uuid (must be a valid UUID)",
    ]);
    // ValidateRunnerConfigurationRequest carries (buf.validate.message).disabled = true.
    expect(
      checkRequest("ValidateRunnerConfiguration", '{"runnerId":"x","environmentClass":{"displayName":"x"}}'),
    ).toEqual([]);
  });
});

describe("the set-up hook", () => {
  it("flags a request of our client that breaks a rule, naming the RPC and the rule", async () => {
    const failure = await withClient((client) =>
      client.llmIntegrations.list({ filter: { runnerIds: ["not-a-uuid"] } }).toArray(),
    ).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "invalid_argument" });
    expect(takeWitnessProblems()).toEqual([
      expect.stringMatching(
        /^client \(gitpod-runner-config\/.*\): ListLLMIntegrations filter\.runnerIds\[0\]: string\.uuid/,
      ),
    ]);
  });

  it("leaves alone a test that opts out, and raw requests crafted by hand", async () => {
    acceptInvalidRequests("this test sends a bad filter on purpose");
    await withClient(async (client) => {
      await client.llmIntegrations
        .list({ filter: { runnerIds: ["not-a-uuid"] } })
        .toArray()
        .catch(() => undefined);
    });
    const emu = await startEmulator();
    try {
      expect((await call(emu, "GetLLMIntegration", { id: "x" })).status).toBe(400);
    } finally {
      await emu.close();
    }
    expect(takeWitnessProblems()).toEqual([]);
  });

  it("flags an answer that does not decode strictly", () => {
    notifyExchange({
      rpc: "GetSCMIntegration",
      requestText: "{}",
      userAgent: undefined,
      status: 200,
      responseText: '{"integration":{"hostName":"github.com"}}',
    });
    expect(takeWitnessProblems()).toEqual([
      expect.stringContaining(
        'emulator: answer of GetSCMIntegration does not decode as gitpod.v1.GetSCMIntegrationResponse: cannot decode message gitpod.v1.SCMIntegration from JSON: key "hostName" is unknown',
      ),
    ]);
  });
});
