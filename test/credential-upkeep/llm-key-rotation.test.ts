/**
 * LLM integrations' API keys in the scheduled modes, through the bundled action against the
 * emulator: `mode: rotate` reads, sends the key, reads back and reports the phase; an update whose
 * answer is lost is reported unknown and sent once only; `rotate-only: llm:runner/host` narrows it;
 * `apply` with `rotate-secrets` sends the keys too;
 * `mode: audit` flags UNAVAILABLE with its reason. No key or literal header value anywhere: log,
 * outputs, job summary or Slack body.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, RUNNER_EU_ID, startEmulator } from "../emulator/index.js";
import { type FakeWebhook, startFakeWebhook } from "../notify/webhook-server.js";
import { type ActionResult, FAST_CLIENT_ENV, runAction, WORKSPACE_CONFIG } from "../support/run-action.js";

const OLD_KEY = "canary-llm-old-key-0c4f19";
const NEW_KEY = "canary-llm-new-key-93be27";
const OTHER_NEW_KEY = "canary-llm-other-new-key-5d18";
const ORG_HEADER = "canary-llm-org-header-e21a";
const WEBHOOK_PATH = "/services/T0/B0/canary-hook-llm-rotation";
const CANARIES = [OLD_KEY, NEW_KEY, OTHER_NEW_KEY, ORG_HEADER, WEBHOOK_PATH];

const CONFIG = `version: 1
runners:
  - id: ${RUNNER_EU_ID}
    name: aws-eu
    llmIntegrations:
      - endpoint: https://llm.example.com/v1
        models: [SUPPORTED_MODEL_SONNET_4]
        apiKey: \${LLM_KEY}
        requestHeaders:
          - name: X-Org
            value: \${LLM_ORG_HEADER}
      - endpoint: https://other-llm.example.net
        models: [SUPPORTED_MODEL_OPUS_4, SUPPORTED_MODEL_SONNET_4]
        apiKey: \${OTHER_LLM_KEY}
`;

let emu: Emulator;
let webhook: FakeWebhook;
let main: string;
let other: string;
beforeEach(async () => {
  emu = await startEmulator();
  webhook = await startFakeWebhook();
  main = emu.state.seedLlmIntegration({
    runnerId: RUNNER_EU_ID,
    endpoint: "https://llm.example.com/v1",
    apiKey: OLD_KEY,
    requestHeaders: [{ key: "X-Org", value: ORG_HEADER }],
  }).id;
  other = emu.state.seedLlmIntegration({
    runnerId: RUNNER_EU_ID,
    endpoint: "https://other-llm.example.net",
    models: ["SUPPORTED_MODEL_OPUS_4", "SUPPORTED_MODEL_SONNET_4"],
    apiKey: OLD_KEY,
  }).id;
});
afterEach(async () => {
  await Promise.all([emu.close(), webhook.close()]);
});

function run(mode: string, inputs: Record<string, string> = {}): Promise<ActionResult> {
  return runAction({
    configYaml: CONFIG,
    api: emu,
    inputs: { config: WORKSPACE_CONFIG, mode, "slack-webhook-url": webhook.url(WEBHOOK_PATH), ...inputs },
    env: { ...FAST_CLIENT_ENV, LLM_KEY: NEW_KEY, OTHER_LLM_KEY: OTHER_NEW_KEY, LLM_ORG_HEADER: ORG_HEADER },
  });
}

function expectNoSecrets(result: ActionResult): void {
  const visible = result.everything
    .split("\n")
    .filter((line) => !line.startsWith("::add-mask::"))
    .join("\n");
  const slack = webhook.posts.map((post) => post.raw).join("\n");
  for (const canary of CANARIES) {
    expect(visible, "a secret leaked into the run").not.toContain(canary);
    expect(slack, "a secret leaked into Slack").not.toContain(canary);
  }
}

type Item = {
  llmEndpoint?: string;
  status: string;
  changed: unknown;
  reason: string;
  rotation?: { phase?: string };
};

describe("mode: rotate, LLM API keys", () => {
  it("sends each key from its variable, reads it back and reports the phase; the header value is not sent", async () => {
    const result = await run("rotate");
    expect(result.code, result.everything).toBe(0);
    expect(emu.state.decryptApiKey(main)).toBe(NEW_KEY);
    expect(emu.state.decryptApiKey(other)).toBe(OTHER_NEW_KEY);
    const updates = emu.requests.all("UpdateLLMIntegration");
    expect(updates.map((entry) => Object.keys(entry.body as object).sort())).toEqual([
      ["apiKey", "id"],
      ["apiKey", "id"],
    ]);
    const report = JSON.parse(result.outputs.report ?? "{}");
    expect(report.items.map((item: Item) => [item.llmEndpoint, item.status, item.rotation?.phase])).toEqual([
      ["https://llm.example.com/v1", "rotated", "AVAILABLE"],
      ["https://other-llm.example.net", "rotated", "AVAILABLE"],
    ]);
    expect(result.outputs.changed).toBe("true");
    expect(result.summary).toContain("LLM API key of llm.example.com");
    expect(webhook.posts.map((post) => post.raw).join("\n")).toContain(
      "LLM API key of other-llm.example.net",
    );
    expectNoSecrets(result);
  });

  it("an update whose answer is lost is reported unknown, sent once and never retried; the other key still rotates", async () => {
    emu.faults.add({ kind: "reset", rpc: "UpdateLLMIntegration", nth: 1, after: true });
    const result = await run("rotate");
    expect(result.code, result.everything).toBe(1);
    const report = JSON.parse(result.outputs.report ?? "{}");
    const [first, second] = report.items as Item[];
    expect(first?.status).toBe("unknown");
    expect(first?.changed).toBe("unknown");
    expect(first?.rotation?.phase).toBe("unknown");
    expect(first?.reason).toContain("was not retried");
    expect(second?.status).toBe("rotated");
    // The write committed before the connection dropped; exactly one update per integration went out.
    expect(
      emu.requests
        .all("UpdateLLMIntegration")
        .map((entry) => (entry.body as { id: string }).id)
        .sort(),
    ).toEqual([main, other].sort());
    expect(result.everything).toMatch(/LLM API key of llm\.example\.com on aws-eu: unknown/);
    expect(result.outputs.changed).toBe("true");
    expectNoSecrets(result);
  });

  it("an integration UNAVAILABLE after the update is reported with its reason, not as rotated", async () => {
    emu.state.setLlmIntegrationPhase(other, "LLM_INTEGRATION_PHASE_UNAVAILABLE", "invalid x-api-key");
    const result = await run("rotate", { "rotate-only": "llm:aws-eu/OTHER-LLM.example.net" });
    expect(result.code).toBe(1);
    expect(emu.state.decryptApiKey(main)).toBe(OLD_KEY);
    const report = JSON.parse(result.outputs.report ?? "{}");
    expect(report.items).toHaveLength(1);
    expect(report.items[0]).toMatchObject({
      status: "unverified",
      changed: true,
      rotation: { phase: "UNAVAILABLE" },
    });
    expect(report.items[0].reason).toContain("UNAVAILABLE: invalid x-api-key");
    expectNoSecrets(result);
  });

  it("a rotate-only entry that names no LLM integration fails with its words and changes nothing", async () => {
    const result = await run("rotate", {
      "rotate-only": `llm:aws-eu/nowhere.example.com, llm:${RUNNER_EU_ID}`,
    });
    expect(result.code).toBe(1);
    expect(result.everything).toContain('"llm:aws-eu/nowhere.example.com" matches no LLM integration');
    expect(result.everything).toContain("is not of the form llm:runner/host");
    expect(emu.requests.writes()).toHaveLength(0);
  });
});

describe("mode: apply with rotate-secrets, LLM API keys", () => {
  it("plans the key as rotated, sends it on update (and only then), and shows no key", async () => {
    const plain = await run("apply");
    expect(plain.code, plain.everything).toBe(0);
    expect(emu.requests.writes()).toHaveLength(0);
    const result = await run("apply", { "rotate-secrets": "true" });
    expect(result.code, result.everything).toBe(0);
    expect(result.everything).toContain("(secret rotated)");
    expect(emu.state.decryptApiKey(main)).toBe(NEW_KEY);
    expect(emu.state.decryptApiKey(other)).toBe(OTHER_NEW_KEY);
    expect(
      emu.requests.all("UpdateLLMIntegration").map((entry) => Object.keys(entry.body as object).sort()),
    ).toEqual([
      ["apiKey", "id"],
      ["apiKey", "id"],
    ]);
    expectNoSecrets(plain);
    expectNoSecrets(result);
  });
});

describe("mode: audit, LLM integrations", () => {
  it("reports each integration's phase and flags UNAVAILABLE with its reason", async () => {
    emu.state.setLlmIntegrationPhase(
      main,
      "LLM_INTEGRATION_PHASE_UNAVAILABLE",
      "insufficient funds <!channel>",
    );
    const result = await run("audit");
    expect(result.outputs.healthy).toBe("false");
    expect(result.summary).toContain("1 LLM integration unavailable");
    expect(result.summary).toContain("**UNAVAILABLE**: insufficient funds");
    expect(result.summary).toMatch(/other-llm\.example\.net \| yes \| AVAILABLE \| 2/);
    expect(result.everything).toMatch(
      /::warning.*LLM integration llm\.example\.com: UNAVAILABLE \(insufficient funds/,
    );
    const slack = webhook.posts.map((post) => post.raw).join("\n");
    expect(slack).toContain("UNAVAILABLE (insufficient funds &lt;!channel&gt;)");
    expect(slack).not.toContain("<!channel>");
    expect(emu.requests.writes()).toHaveLength(0);
    expectNoSecrets(result);
  });
});
