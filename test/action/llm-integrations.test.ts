/**
 * LLM integrations in the file, through the bundled action and the CLI against the emulator:
 * created with their key, headers and disabled phase; zero writes on a second apply; UNAVAILABLE
 * reported and never changed; a lost create answer re-read, never created blind; prune only with
 * allow-destructive; export writes references that plan to no changes; and no key or literal
 * header value in any output, log, summary or JSON.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, RUNNER_EU_ID, RUNNER_US_ID, startEmulator } from "../emulator/index.js";
import {
  type ActionResult,
  makeWorkspace,
  removeWorkspace,
  runAction,
  runCli,
} from "../support/run-action.js";

const KEY = "canary-llm-key-71c0e2";
const ORG_HEADER = "canary-llm-org-header-5b9a";
const OTHER_KEY = "canary-llm-other-key-ae31";
const ENDPOINT = "https://llm.example.com/v1";

const config = (extra = "", enabled = "false") => `version: 1
runners:
  - id: ${RUNNER_EU_ID}
    llmIntegrations:
      - endpoint: ${ENDPOINT}
        models: [SUPPORTED_MODEL_SONNET_4, SUPPORTED_MODEL_OPUS_4]
        apiKey: \${LLM_KEY}
        maxTokens: 4096
        requestHeaders:
          - name: X-Org
            value: \${LLM_ORG_HEADER}
          - name: X-User
            celExpression: request.user.email
        enabled: ${enabled}
${extra}`;

let emu: Emulator;
let workspace: string;
const runs: ActionResult[] = [];
const ENV = { LLM_KEY: KEY, LLM_ORG_HEADER: ORG_HEADER, LLM_OTHER_KEY: OTHER_KEY };

beforeAll(async () => {
  emu = await startEmulator();
  workspace = await makeWorkspace(config());
});
afterAll(async () => {
  await emu.close();
  await removeWorkspace(workspace);
});

async function run(mode: string, extraInputs: Record<string, string> = {}) {
  const result = await runAction({ workspace, api: emu, inputs: { mode, ...extraInputs }, env: ENV });
  runs.push(result);
  return result;
}

function integrations() {
  return [...emu.state.llmIntegrations.values()];
}

function header(value: string) {
  return Buffer.from(value, "utf8").toString("base64");
}

describe("LLM integrations in the file", () => {
  it("creates the integration with its key, headers and disabled phase, then re-applies with zero writes", async () => {
    const first = await run("apply");
    expect(first.code, first.everything).toBe(0);
    const [stored] = integrations();
    expect(stored).toMatchObject({
      runnerId: RUNNER_EU_ID,
      endpoint: ENDPOINT,
      models: ["SUPPORTED_MODEL_SONNET_4", "SUPPORTED_MODEL_OPUS_4"],
      maxTokens: 4096n,
      phase: "LLM_INTEGRATION_PHASE_DISABLED",
      requestHeaders: [
        {
          key: "X-Org",
          value: header(ORG_HEADER),
          headerType: "LLM_INTEGRATION_REQUEST_HEADER_TYPE_LITERAL",
        },
        {
          key: "X-User",
          value: header("request.user.email"),
          headerType: "LLM_INTEGRATION_REQUEST_HEADER_TYPE_CEL_EXPRESSION",
        },
      ],
    });
    expect(emu.state.decryptApiKey(stored?.id ?? "")).toBe(KEY);
    expect(first.stdout).toContain("LLM integration");

    emu.requests.clear();
    const second = await run("apply");
    expect(second.code, second.everything).toBe(0);
    expect(emu.requests.writes()).toEqual([]);
    expect(second.outputs.changed).toBe("false");
  });

  it("enables it, and reports UNAVAILABLE with its reason without changing anything", async () => {
    await writeFile(join(workspace, ".gitpod", "runner-config.yaml"), config("", "true"));
    emu.requests.clear();
    const enabled = await run("apply");
    expect(enabled.code, enabled.everything).toBe(0);
    expect(emu.requests.all("UpdateLLMIntegration").map((request) => request.body)).toEqual([
      { id: integrations()[0]?.id, phase: "LLM_INTEGRATION_PHASE_AVAILABLE" },
    ]);

    emu.state.setLlmIntegrationPhase(
      integrations()[0]?.id ?? "",
      "LLM_INTEGRATION_PHASE_UNAVAILABLE",
      "insufficient funds",
    );
    emu.requests.clear();
    const planned = await run("plan");
    expect(planned.code, planned.everything).toBe(0);
    expect(planned.outputs.changed).toBe("false");
    expect(planned.everything).toContain("the service reports it unavailable: insufficient funds");
    expect(emu.requests.writes()).toEqual([]);
  });

  it("changes models, maxTokens and headers in one update that sends the header values but never the key", async () => {
    await writeFile(
      join(workspace, ".gitpod", "runner-config.yaml"),
      config("", "true")
        .replace("SUPPORTED_MODEL_OPUS_4]", "SUPPORTED_MODEL_HAIKU_4_5]")
        .replace("maxTokens: 4096", "maxTokens: 8192")
        .replace("request.user.email", "request.user.id"),
    );
    emu.requests.clear();
    const changed = await run("apply");
    expect(changed.code, changed.everything).toBe(0);
    const updates = emu.requests.all("UpdateLLMIntegration").map((request) => request.body);
    expect(updates).toEqual([
      {
        id: integrations()[0]?.id,
        models: ["SUPPORTED_MODEL_SONNET_4", "SUPPORTED_MODEL_HAIKU_4_5"],
        maxTokens: "8192",
        requestHeaders: [
          {
            key: "X-Org",
            value: header(ORG_HEADER),
            headerType: "LLM_INTEGRATION_REQUEST_HEADER_TYPE_LITERAL",
          },
          {
            key: "X-User",
            value: header("request.user.id"),
            headerType: "LLM_INTEGRATION_REQUEST_HEADER_TYPE_CEL_EXPRESSION",
          },
        ],
      },
    ]);
    expect(changed.everything).toContain("CEL request.user.id");
  });

  it("after a lost create answer, re-reads and completes the integration that landed, never a second one", async () => {
    const other = `      - endpoint: https://api.openai.example/v1
        models: [SUPPORTED_MODEL_OPENAI_4O]
        apiKey: \${LLM_OTHER_KEY}
`;
    await writeFile(
      join(workspace, ".gitpod", "runner-config.yaml"),
      config(other, "true")
        .replace("SUPPORTED_MODEL_OPUS_4]", "SUPPORTED_MODEL_HAIKU_4_5]")
        .replace("maxTokens: 4096", "maxTokens: 8192")
        .replace("request.user.email", "request.user.id"),
    );
    emu.faults.add({ kind: "status", status: 503, rpc: "CreateLLMIntegration", after: true, times: 1 });
    const lost = await run("apply");
    expect(lost.code, lost.everything).toBe(0);
    const created = integrations().filter((integration) => integration.endpoint.includes("openai"));
    expect(created).toHaveLength(1);
    expect(emu.state.decryptApiKey(created[0]?.id ?? "")).toBe(OTHER_KEY);

    emu.requests.clear();
    const again = await run("apply");
    expect(again.code, again.everything).toBe(0);
    expect(emu.requests.writes()).toEqual([]);
  });

  it("prunes an integration the file does not list only with allow-destructive", async () => {
    const stray = emu.state.seedLlmIntegration({
      runnerId: RUNNER_EU_ID,
      endpoint: "https://stray.example.com",
      apiKey: "canary-llm-stray-key",
    });
    const refused = await run("apply", { prune: "true" });
    expect(refused.code).not.toBe(0);
    expect(refused.everything).toContain(
      "agents on this runner that use SUPPORTED_MODEL_SONNET_4 through it lose their model",
    );
    expect(emu.state.llmIntegrations.get(stray.id)).toBeDefined();
    const pruned = await run("apply", { prune: "true", "allow-destructive": "true" });
    expect(pruned.code, pruned.everything).toBe(0);
    expect(emu.state.llmIntegrations.get(stray.id)).toBeUndefined();
    expect(integrations()).toHaveLength(2);
  });

  it("exports references that plan to no changes, and never a key", async () => {
    const exported = await runCli(["export", "--runner", RUNNER_EU_ID, "--out", "exported.yaml"], {
      cwd: workspace,
      api: emu,
    });
    expect(exported.code, exported.stderr).toBe(0);
    const { readFile } = await import("node:fs/promises");
    const text = await readFile(join(workspace, "exported.yaml"), "utf8");
    expect(text).toContain(`apiKey: \${LLM_API_KEY_LLM_EXAMPLE_COM}`);
    expect(text).toContain(`apiKey: \${LLM_API_KEY_API_OPENAI_EXAMPLE}`);
    expect(text).toContain(`value: \${LLM_HEADER_X_ORG_LLM_EXAMPLE_COM}`);
    expect(text).toContain("celExpression: request.user.id");
    for (const canary of [KEY, ORG_HEADER, OTHER_KEY]) expect(text).not.toContain(canary);

    const plan = await runCli(["plan", "--config", "exported.yaml", "--json", "--detailed-exitcode"], {
      cwd: workspace,
      api: emu,
      env: {
        LLM_API_KEY_LLM_EXAMPLE_COM: "any",
        LLM_API_KEY_API_OPENAI_EXAMPLE: "any",
        LLM_HEADER_X_ORG_LLM_EXAMPLE_COM: "any",
      },
    });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("a saved plan creates an integration only with its key set, and never holds the key", async () => {
    const saved = "llm-plan.json";
    await writeFile(
      join(workspace, "saved.yaml"),
      `version: 1\nrunners:\n  - id: ${RUNNER_US_ID}\n    llmIntegrations:\n      - endpoint: https://saved.example.com\n        models: [SUPPORTED_MODEL_SONNET_4_5]\n        apiKey: \${LLM_KEY}\n`,
    );
    const plan = await runCli(["plan", "--config", "saved.yaml", "--out", saved], {
      cwd: workspace,
      api: emu,
      env: ENV,
    });
    expect(plan.code, plan.stderr).toBe(0);
    const { readFile } = await import("node:fs/promises");
    expect(await readFile(join(workspace, saved), "utf8")).not.toContain(KEY);
    const withoutKey = await runCli(["apply", saved], { cwd: workspace, api: emu });
    expect(withoutKey.code).not.toBe(0);
    expect(withoutKey.stderr).toContain("LLM_KEY");
    const applied = await runCli(["apply", saved], { cwd: workspace, api: emu, env: ENV });
    expect(applied.code, applied.stderr).toBe(0);
    const created = integrations().find(
      (integration) => integration.endpoint === "https://saved.example.com",
    );
    expect(emu.state.decryptApiKey(created?.id ?? "")).toBe(KEY);
  });

  it("export --runner all finds a runner that has only LLM integrations", async () => {
    emu.state.seedLlmIntegration({ runnerId: RUNNER_US_ID, endpoint: "https://api.anthropic.com" });
    const exported = await runCli(["export", "--runner", "all"], { cwd: workspace, api: emu });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain(`id: ${RUNNER_US_ID}`);
    expect(exported.stdout).toContain(`apiKey: \${LLM_API_KEY_API_ANTHROPIC_COM}`);
  });

  it("plan --json and the text never show the key or a literal header value", async () => {
    const plan = await runCli(["plan", "--config", ".gitpod/runner-config.yaml", "--json"], {
      cwd: workspace,
      api: emu,
      env: ENV,
    });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    for (const canary of [KEY, ORG_HEADER, OTHER_KEY]) {
      expect(plan.stdout).not.toContain(canary);
      expect(plan.stderr).not.toContain(canary);
    }
  });

  it("validates offline: an unknown well-formed model is a warning at its line, an unset key a warning too", async () => {
    const file = join(workspace, "offline.yaml");
    await writeFile(
      file,
      config().replace(
        "models: [SUPPORTED_MODEL_SONNET_4, SUPPORTED_MODEL_OPUS_4]",
        "models:\n          - SUPPORTED_MODEL_SONNET_4\n          - SUPPORTED_MODEL_SONET_9",
      ),
    );
    const result = await runCli(["validate", "--offline", "--config", "offline.yaml"], { cwd: workspace });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      "offline.yaml:8:13: runners[0].llmIntegrations[0].models[1]: SUPPORTED_MODEL_SONET_9 is not a model this version knows",
    );
    expect(result.stderr).toContain("environment variable LLM_KEY is not set");
    expect(result.stdout).toContain("offline.yaml is valid");
  });

  it("never shows a key or a literal header value in stdout, stderr, outputs or the job summary", () => {
    expect(runs.length).toBeGreaterThan(6);
    for (const result of runs) {
      const visible = result.everything.replace(/^::add-mask::.*$/gm, "");
      for (const canary of [KEY, ORG_HEADER, OTHER_KEY]) expect(visible).not.toContain(canary);
    }
  });
});
