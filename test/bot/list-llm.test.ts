/**
 * `list` shows the managed runners' LLM integrations, through signed Slack requests: per runner,
 * the endpoint's host, the phase (UNAVAILABLE with its reason, escaped) and the models count,
 * never the key nor a literal header value (not in Slack nor the logs).
 */
import { describe, expect, it } from "vitest";
import { RUNNER_EU_ID, RUNNER_US_ID } from "../emulator/index.js";
import { seedGitHubIntegration } from "../support/fixtures.js";
import { useHarness } from "./harness.js";

const KEY = "canary-bot-llm-key-4e81c0";
const HEADER = "canary-bot-llm-header-9a2d";

function blocksText(args: Record<string, unknown>): string {
  const blocks =
    (args.blocks as Array<{ text?: { text: string }; elements?: Array<{ text: string }> }>) ?? [];
  return blocks
    .map((block) => block.text?.text ?? block.elements?.map((element) => element.text).join(" ") ?? "")
    .join("\n");
}

describe("list, LLM integrations", () => {
  const h = useHarness();

  it("lists each runner's LLM integrations with phase and models count, filters by endpoint host, never shows the key", async () => {
    seedGitHubIntegration(h.emu.state);
    const anthropic = h.emu.state.seedLlmIntegration({
      runnerId: RUNNER_EU_ID,
      endpoint: "https://api.anthropic.example/v1",
      models: ["SUPPORTED_MODEL_SONNET_4", "SUPPORTED_MODEL_OPUS_4"],
      apiKey: KEY,
      requestHeaders: [{ key: "X-Org", value: HEADER }],
    });
    h.emu.state.setLlmIntegrationPhase(
      anthropic.id,
      "LLM_INTEGRATION_PHASE_UNAVAILABLE",
      "insufficient funds <!here>",
    );
    h.emu.state.seedLlmIntegration({
      runnerId: RUNNER_US_ID,
      endpoint: "https://llm.other.example",
      apiKey: KEY,
    });

    const ack = await h.command("list");
    expect(ack.status).toBe(200);
    const text = blocksText((await h.waitForResponse(ack.responseUrlId)).args);
    expect(text).toContain("1 integration · 1 LLM integration");
    expect(text).toContain(
      `LLM *api.anthropic.example* · UNAVAILABLE (insufficient funds &lt;!here&gt;) · 2 models · ID \`${anthropic.id}\``,
    );
    expect(text).toMatch(/LLM \*llm\.other\.example\* · AVAILABLE · 1 model · ID/);
    expect(text).not.toContain("<!here>");

    const filtered = await h.command("list llm.other.example");
    const narrowed = blocksText((await h.waitForResponse(filtered.responseUrlId)).args);
    expect(narrowed).toContain("llm.other.example");
    expect(narrowed).not.toContain("api.anthropic.example");

    const everything = [JSON.stringify(h.slack.calls), h.logs.join("\n")].join("\n");
    for (const canary of [KEY, HEADER]) expect(everything).not.toContain(canary);
  });
});
