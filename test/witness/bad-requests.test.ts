/**
 * A corpus of requests, most of them bad, each judged twice: by the emulator (refused or accepted,
 * over HTTP) and by the service's own rules from the official descriptors (decoded as a Connect
 * server does, then protovalidate). The verdicts must agree; where they differ on purpose the case
 * is listed in DIFFERS_ON_PURPOSE with its reason, and docs/emulator.md says the same.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../emulator/helpers.js";
import { type Emulator, RUNNER_EU_ID, startEmulator } from "../emulator/index.js";
import { serviceVerdict } from "./official-descriptors.js";

interface Ids {
  environmentClass: string;
  hostToken: string;
  scmIntegration: string;
  llmIntegration: string;
}

type Case = [name: string, rpc: string, body: (ids: Ids) => unknown];

const NOT_A_UUID = "not-a-uuid";
const uuids = (count: number) => Array.from({ length: count }, () => crypto.randomUUID());
const CLASS = { runnerId: RUNNER_EU_ID, configuration: [{ key: "instanceType", value: "m6i.large" }] };
const TOKEN = { runnerId: RUNNER_EU_ID, host: "github.com", token: "gho_x" };
const MODEL = ["SUPPORTED_MODEL_SONNET_4"];

const CASES: Case[] = [
  // environment classes
  [
    "class: a valid create",
    "CreateEnvironmentClass",
    () => ({ ...CLASS, displayName: "Large", description: "big" }),
  ],
  [
    "class: runner id not a UUID",
    "CreateEnvironmentClass",
    () => ({ ...CLASS, runnerId: NOT_A_UUID, displayName: "Large", description: "big" }),
  ],
  [
    "class: display name of 2",
    "CreateEnvironmentClass",
    () => ({ ...CLASS, displayName: "ab", description: "big" }),
  ],
  [
    "class: display name of 128",
    "CreateEnvironmentClass",
    () => ({ ...CLASS, displayName: "x".repeat(128), description: "big" }),
  ],
  [
    "class: description of 2",
    "CreateEnvironmentClass",
    () => ({ ...CLASS, displayName: "Large", description: "ab" }),
  ],
  [
    "class: create without a description",
    "CreateEnvironmentClass",
    () => ({ ...CLASS, displayName: "Large" }),
  ],
  [
    'class: update with description ""',
    "UpdateEnvironmentClass",
    (ids) => ({ environmentClassId: ids.environmentClass, description: "" }),
  ],
  [
    "class: update with display name of 2",
    "UpdateEnvironmentClass",
    (ids) => ({ environmentClassId: ids.environmentClass, displayName: "ab" }),
  ],
  [
    "class: update of a non-UUID id",
    "UpdateEnvironmentClass",
    () => ({ environmentClassId: NOT_A_UUID, enabled: false }),
  ],
  ["class: get of a non-UUID id", "GetEnvironmentClass", () => ({ environmentClassId: NOT_A_UUID })],
  ["class: list with page size 101", "ListEnvironmentClasses", () => ({ pagination: { pageSize: 101 } })],
  ["class: list with page size -1", "ListEnvironmentClasses", () => ({ pagination: { pageSize: -1 } })],
  ["class: list with 26 runner ids", "ListEnvironmentClasses", () => ({ filter: { runnerIds: uuids(26) } })],
  [
    "class: list with a non-UUID runner id",
    "ListEnvironmentClasses",
    () => ({ filter: { runnerIds: [NOT_A_UUID] } }),
  ],
  // host authentication tokens
  ["token: a valid create", "CreateHostAuthenticationToken", () => TOKEN],
  ["token: empty host", "CreateHostAuthenticationToken", () => ({ ...TOKEN, host: "" })],
  ["token: empty token", "CreateHostAuthenticationToken", () => ({ ...TOKEN, token: "" })],
  [
    "token: runner id not a UUID",
    "CreateHostAuthenticationToken",
    () => ({ ...TOKEN, runnerId: NOT_A_UUID }),
  ],
  ["token: user id not a UUID", "CreateHostAuthenticationToken", () => ({ ...TOKEN, userId: NOT_A_UUID })],
  [
    "token: integration id not a UUID",
    "CreateHostAuthenticationToken",
    () => ({ ...TOKEN, integrationId: NOT_A_UUID }),
  ],
  [
    "token: 102 scopes",
    "CreateHostAuthenticationToken",
    () => ({ ...TOKEN, scopes: Array.from({ length: 102 }, (_, i) => `s${i}`) }),
  ],
  ["token: source number 7", "CreateHostAuthenticationToken", () => ({ ...TOKEN, source: 7 })],
  [
    "token: subject id not a UUID",
    "CreateHostAuthenticationToken",
    () => ({ ...TOKEN, subject: { id: NOT_A_UUID, principal: "PRINCIPAL_USER" } }),
  ],
  [
    "token: subject principal number 99",
    "CreateHostAuthenticationToken",
    () => ({ ...TOKEN, subject: { id: crypto.randomUUID(), principal: 99 } }),
  ],
  [
    'token: update with token ""',
    "UpdateHostAuthenticationToken",
    (ids) => ({ id: ids.hostToken, token: "" }),
  ],
  ["token: update of a non-UUID id", "UpdateHostAuthenticationToken", () => ({ id: NOT_A_UUID, token: "x" })],
  [
    "token: list by a non-UUID runner",
    "ListHostAuthenticationTokens",
    () => ({ filter: { runnerId: NOT_A_UUID } }),
  ],
  ["token: delete of a non-UUID id", "DeleteHostAuthenticationToken", () => ({ id: NOT_A_UUID })],
  // SCM integrations and the schema
  [
    "scm: runner id not a UUID",
    "CreateSCMIntegration",
    () => ({ runnerId: NOT_A_UUID, scmId: "github", host: "gitlab.example.com", pat: true }),
  ],
  ["scm: get of a non-UUID id", "GetSCMIntegration", () => ({ id: NOT_A_UUID })],
  ["scm: list with 26 runner ids", "ListSCMIntegrations", () => ({ filter: { runnerIds: uuids(26) } })],
  ["scm: update of a non-UUID id", "UpdateSCMIntegration", () => ({ id: NOT_A_UUID, pat: true })],
  ["schema: runner id not a UUID", "GetRunnerConfigurationSchema", () => ({ runnerId: NOT_A_UUID })],
  [
    "validate: a class too short to be valid is an answer, not a refusal",
    "ValidateRunnerConfiguration",
    (ids) => ({
      runnerId: RUNNER_EU_ID,
      environmentClass: { id: ids.environmentClass, runnerId: RUNNER_EU_ID, displayName: "x" },
    }),
  ],
  // LLM integrations
  [
    "llm: a valid create",
    "CreateLLMIntegration",
    () => ({ runnerId: RUNNER_EU_ID, models: MODEL, apiKey: "k", maxTokens: "1024" }),
  ],
  ["llm: runner id not a UUID", "CreateLLMIntegration", () => ({ runnerId: NOT_A_UUID, models: MODEL })],
  ["llm: no models", "CreateLLMIntegration", () => ({ runnerId: RUNNER_EU_ID, models: [] })],
  [
    "llm: only an unknown model name",
    "CreateLLMIntegration",
    () => ({ runnerId: RUNNER_EU_ID, models: ["SUPPORTED_MODEL_NOPE"] }),
  ],
  [
    "llm: an undefined model number",
    "CreateLLMIntegration",
    () => ({ runnerId: RUNNER_EU_ID, models: ["SUPPORTED_MODEL_SONNET_4", 999] }),
  ],
  ["llm: a model by its number", "CreateLLMIntegration", () => ({ runnerId: RUNNER_EU_ID, models: [32] })],
  [
    "llm: negative max tokens",
    "CreateLLMIntegration",
    () => ({ runnerId: RUNNER_EU_ID, models: MODEL, maxTokens: "-1" }),
  ],
  [
    "llm: max tokens past uint64",
    "CreateLLMIntegration",
    () => ({ runnerId: RUNNER_EU_ID, models: MODEL, maxTokens: "18446744073709551616" }),
  ],
  [
    "llm: max tokens as a JSON number",
    "CreateLLMIntegration",
    () => ({ runnerId: RUNNER_EU_ID, models: MODEL, maxTokens: 512 }),
  ],
  ["llm: get of a non-UUID id", "GetLLMIntegration", () => ({ id: NOT_A_UUID })],
  ["llm: update of a non-UUID id", "UpdateLLMIntegration", () => ({ id: NOT_A_UUID, endpoint: "https://x" })],
  [
    "llm: update with an undefined header type",
    "UpdateLLMIntegration",
    (ids) => ({ id: ids.llmIntegration, requestHeaders: [{ key: "a", value: "aGk=", headerType: 7 }] }),
  ],
  [
    "llm: update with a header value that is not base64",
    "UpdateLLMIntegration",
    (ids) => ({ id: ids.llmIntegration, requestHeaders: [{ key: "a", value: "not base64!" }] }),
  ],
  [
    "llm: update with an undefined model number",
    "UpdateLLMIntegration",
    (ids) => ({ id: ids.llmIntegration, models: [999] }),
  ],
  [
    "llm: update with empty lists",
    "UpdateLLMIntegration",
    (ids) => ({ id: ids.llmIntegration, models: [], requestHeaders: [] }),
  ],
  ["llm: delete of a non-UUID id", "DeleteLLMIntegration", () => ({ id: NOT_A_UUID })],
  ["llm: list by a non-UUID runner", "ListLLMIntegrations", () => ({ filter: { runnerIds: [NOT_A_UUID] } })],
  ["llm: list with 26 runner ids", "ListLLMIntegrations", () => ({ filter: { runnerIds: uuids(26) } })],
  ["llm: list with page size 101", "ListLLMIntegrations", () => ({ pagination: { pageSize: 101 } })],
];

/** Cases where the emulator's verdict differs from the official rules on purpose (docs/emulator.md). */
const DIFFERS_ON_PURPOSE: Record<string, string> = {
  "class: create without a description":
    "the official rule (description 3..200 characters, on a field without presence) refuses a class without a description; the product sends none when the file has none, so the emulator keeps accepting it until the file format decides (a finding of this witness, see docs/emulator.md)",
};

let emu: Emulator;
let ids: Ids;

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

function seed(): Ids {
  emu.state.reset();
  return {
    environmentClass: emu.state.seedEnvironmentClass({ runnerId: RUNNER_EU_ID, displayName: "Seeded" }).id,
    hostToken: emu.state.seedHostToken({ runnerId: RUNNER_EU_ID, host: "gitlab.com" }).id,
    scmIntegration: emu.state.seedScmIntegration({
      runnerId: RUNNER_EU_ID,
      scmId: "gitlab",
      host: "gitlab.com",
      pat: true,
    }).id,
    llmIntegration: emu.state.seedLlmIntegration({ runnerId: RUNNER_EU_ID }).id,
  };
}

describe("bad requests: the emulator and the official rules give the same verdict", () => {
  it.each(CASES)("%s", async (name, rpc, body) => {
    ids = seed();
    const request = body(ids);
    const answer = await call(emu, rpc, request);
    const emulator = answer.status === 200 ? "accepted" : "refused";
    const official = serviceVerdict(rpc, request);
    const detail = `${rpc}: emulator ${emulator} (${answer.text.slice(0, 200)}), official rules ${official.verdict} (${official.why.join("; ")})`;
    if (name in DIFFERS_ON_PURPOSE) {
      expect(emulator, detail).not.toBe(official.verdict);
    } else {
      expect(emulator, detail).toBe(official.verdict);
      // A refusal by the rules is invalid_argument, never a lookup that happened to fail.
      if (official.verdict === "refused") expect(answer.json?.code, detail).toBe("invalid_argument");
    }
  });

  it("every difference on purpose is a case here and is explained in docs/emulator.md", () => {
    const doc = readFileSync(new URL("../../docs/emulator.md", import.meta.url), "utf8");
    for (const name of Object.keys(DIFFERS_ON_PURPOSE)) {
      expect(CASES.map(([caseName]) => caseName)).toContain(name);
      expect(doc).toContain(name);
    }
  });
});
