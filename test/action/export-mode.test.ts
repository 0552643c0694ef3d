/**
 * The action's `export` mode as the runner runs it (dist/index.js) against the emulator: the file it
 * writes at the `config` path plans to no changes, it changes no runner, no secret reaches the
 * file, the log, the outputs or the summary, and a path out of the workspace (or into its .git) is
 * refused before anything is read.
 */
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, RUNNER_EU_ID, RUNNER_US_ID, startEmulator } from "../emulator/index.js";
import {
  FAST_CLIENT_ENV,
  makeWorkspace,
  removeWorkspace,
  runAction,
  WORKSPACE_CONFIG,
} from "../support/run-action.js";

const SERVICE_ACCOUNT = "7d1e6f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6";
/** Stored in the emulator only: the API never answers with them, and no output may hold them. */
const CANARIES = {
  oauth: "canary-export-oauth-secret-3c1d",
  hostToken: "canary-export-host-token-8e2f",
  llmKey: "canary-export-llm-key-51aa",
  llmHeader: "canary-export-llm-header-9b07",
};
const OAUTH_VARIABLE = "OAUTH_SECRET_GITHUB_COM";
const HOST_TOKEN_VARIABLE = "HOST_TOKEN_GITHUB_COM_7D1E6F0A";
const LLM_KEY_VARIABLE = "LLM_API_KEY_LLM_EXAMPLE_COM";
const LLM_HEADER_VARIABLE = "LLM_HEADER_X_ORG_LLM_EXAMPLE_COM";
/** What the plan step gets for the variables: canaries too, since plan must not print them either. */
const SECRET_ENV = {
  [OAUTH_VARIABLE]: "canary-plan-oauth-value-77d2",
  [HOST_TOKEN_VARIABLE]: "canary-plan-host-token-value-40ce",
  [LLM_KEY_VARIABLE]: "canary-plan-llm-key-value-a913",
  [LLM_HEADER_VARIABLE]: "canary-plan-llm-header-value-06bf",
};

let emu: Emulator;
let workspace: string;
const outside: string[] = [];

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  emu.state.reset();
  emu.requests.clear();
  workspace = await makeWorkspace("# replaced by the export\n");
});
afterEach(async () => {
  await removeWorkspace(workspace);
  for (const dir of outside.splice(0)) await rm(dir, { recursive: true, force: true });
});

function seed(): void {
  const configuration = [{ key: "instanceType", value: "m6i.large" }];
  emu.state.seedEnvironmentClass({ runnerId: RUNNER_EU_ID, displayName: "Dev", configuration });
  emu.state.seedEnvironmentClass({
    runnerId: RUNNER_EU_ID,
    displayName: "Old",
    enabled: false,
    configuration,
  });
  const github = emu.state.seedScmIntegration({
    runnerId: RUNNER_EU_ID,
    scmId: "github",
    host: "github.com",
    pat: true,
    oauthClientId: "Iv1.8a61f9b3a7aba766",
    oauthClientSecret: CANARIES.oauth,
  });
  emu.state.seedHostToken({
    runnerId: RUNNER_EU_ID,
    host: "github.com",
    subject: { id: SERVICE_ACCOUNT, principal: "PRINCIPAL_SERVICE_ACCOUNT" },
    source: "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT",
    token: CANARIES.hostToken,
    integrationId: github.id,
    expiresAt: "2027-01-31T00:00:00Z",
  });
  emu.state.seedScmIntegration({ runnerId: RUNNER_US_ID, scmId: "gitlab", host: "gitlab.com", pat: true });
  emu.state.seedLlmIntegration({
    runnerId: RUNNER_US_ID,
    endpoint: "https://llm.example.com/v1",
    apiKey: CANARIES.llmKey,
    requestHeaders: [{ key: "X-Org", value: CANARIES.llmHeader }],
  });
}

function run(inputs: Record<string, string>, env: Record<string, string> = {}) {
  return runAction({ workspace, api: emu, inputs, env: { ...FAST_CLIENT_ENV, ...env } });
}

/** Only the `::add-mask::` commands, which tell the runner to hide a value, may hold one. */
function expectNoSecret(text: string): void {
  const shown = text.replace(/^::add-mask::.*$/gm, "");
  for (const canary of [...Object.values(CANARIES), ...Object.values(SECRET_ENV), emu.token])
    expect(shown).not.toContain(canary);
}

describe("the action's export mode", () => {
  it("writes the config file, changes nothing, and a plan of the file with the secrets set shows no changes", async () => {
    seed();
    const exported = await run({ mode: "export", runners: "all" });
    expect(exported.code, exported.everything).toBe(0);
    expect(emu.requests.writes()).toHaveLength(0);
    const text = await readFile(join(workspace, WORKSPACE_CONFIG), "utf8");
    expect(text).toContain(`- id: ${RUNNER_EU_ID}`);
    expect(text).toContain(`- id: ${RUNNER_US_ID}`);
    expect(text).toContain(`clientSecret: \${${OAUTH_VARIABLE}}`);
    expect(text).toContain(`token: \${${HOST_TOKEN_VARIABLE}}`);
    expect(text).toContain(`apiKey: \${${LLM_KEY_VARIABLE}}`);
    expect(text).toContain(`value: \${${LLM_HEADER_VARIABLE}}`);

    expect(exported.outputs.changed).toBe("false");
    expect(exported.outputs["export-file"]).toBe(WORKSPACE_CONFIG);
    expect(exported.outputs["secret-variables"]?.split(" ").sort()).toEqual(Object.keys(SECRET_ENV).sort());
    expect(exported.outputs.summary).toBe(
      `Exported 2 runner(s), 2 environment class(es), 2 SCM integration(s), 1 service-account host token(s), 1 LLM integration(s) to ${WORKSPACE_CONFIG}`,
    );
    // Per runner, what was exported and which secrets its part of the file needs.
    expect(exported.summary).toContain(
      `| \`${RUNNER_EU_ID}\` | 2 environment class(es), 1 SCM integration(s), 1 service-account host token(s) | \`${OAUTH_VARIABLE}\`, \`${HOST_TOKEN_VARIABLE}\` |`,
    );
    expect(exported.summary).toContain(
      `| \`${RUNNER_US_ID}\` | 1 SCM integration(s), 1 LLM integration(s) | \`${LLM_KEY_VARIABLE}\`, \`${LLM_HEADER_VARIABLE}\` |`,
    );
    expect(exported.stdout).toContain(`runner ${RUNNER_EU_ID}: 2 environment class(es)`);
    expectNoSecret(`${exported.everything}\n${text}`);

    emu.requests.clear();
    const plan = await run({ mode: "plan" }, SECRET_ENV);
    expect(plan.code, plan.everything).toBe(0);
    expect(plan.outputs.changed).toBe("false");
    expect(plan.outputs.summary).toMatch(/no changes/i);
    expect(emu.requests.writes()).toHaveLength(0);
    expectNoSecret(plan.everything);
  });

  it("exports only the runners named, and says which input is wrong", async () => {
    seed();
    const one = await run({ mode: "export", runners: RUNNER_US_ID });
    expect(one.code, one.everything).toBe(0);
    const text = await readFile(join(workspace, WORKSPACE_CONFIG), "utf8");
    expect(text).toContain(`- id: ${RUNNER_US_ID}`);
    expect(text).not.toContain(RUNNER_EU_ID);
    expect(one.outputs["secret-variables"]).toBe(`${LLM_KEY_VARIABLE} ${LLM_HEADER_VARIABLE}`);

    emu.requests.clear();
    const none = await run({ mode: "export" });
    expect(none.code).toBe(1);
    expect(none.stdout).toContain("::error::input runners is required in export mode");
    const notId = await run({ mode: "export", runners: `${RUNNER_EU_ID}, aws-eu` });
    expect(notId.stdout).toContain('::error::input runners: "aws-eu" is not a runner id (a UUID) or all');
    const several = await run({ mode: "export", runners: "all", config: ".gitpod/a.yaml, .gitpod/b.yaml" });
    expect(several.stdout).toContain("::error::input config must name one file in export mode");
    const glob = await run({ mode: "export", runners: "all", config: ".gitpod/*.yaml" });
    expect(glob.stdout).toContain("::error::input config must name one file in export mode");
    // Refused before the first API call.
    expect(emu.requests.entries).toHaveLength(0);
    const unknown = await run({ mode: "export", runners: "11111111-2222-4333-8444-555555555555" });
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain("runner 11111111-2222-4333-8444-555555555555 was not found");
    expect(unknown.summary).toContain("the run failed");
  });

  it("refuses a path outside the workspace or in its .git, writing nothing and reading nothing", async () => {
    seed();
    const elsewhere = await mkdtemp(join(tmpdir(), "export-outside-"));
    outside.push(elsewhere);
    const target = join(elsewhere, "target.yaml");
    await writeFile(target, "kept as it is\n");
    await symlink(target, join(workspace, ".gitpod", "linked.yaml"));
    await symlink(join(elsewhere, "not-there.yaml"), join(workspace, ".gitpod", "dangling.yaml"));
    await mkdir(join(workspace, ".git"));
    const cases: Array<[string, string]> = [
      ["../escaped.yaml", "it is outside the workspace (GITHUB_WORKSPACE)"],
      [join(elsewhere, "absolute.yaml"), "it is outside the workspace (GITHUB_WORKSPACE)"],
      [".gitpod/linked.yaml", "its real path is outside the workspace (GITHUB_WORKSPACE) (a symlink)"],
      [".gitpod/dangling.yaml", "it is a symlink to a file that does not exist"],
      [".git/runner-config.yaml", "it is in the .git directory of the workspace (GITHUB_WORKSPACE)"],
    ];
    for (const [config, reason] of cases) {
      const result = await run({ mode: "export", runners: "all", config });
      expect(result.code, config).toBe(1);
      expect(result.stdout).toContain(`::error::input config: ${config} cannot be written: ${reason}`);
      expect(result.summary).toContain("nothing was written");
    }
    expect(emu.requests.entries).toHaveLength(0);
    expect(await readFile(target, "utf8")).toBe("kept as it is\n");
    await expect(stat(join(elsewhere, "not-there.yaml"))).rejects.toThrow();
    await expect(stat(join(workspace, "..", "escaped.yaml"))).rejects.toThrow();
    await expect(stat(join(workspace, ".git", "runner-config.yaml"))).rejects.toThrow();

    // A new folder inside the workspace is fine.
    const nested = await run({ mode: "export", runners: "all", config: "runners/exported.yaml" });
    expect(nested.code, nested.everything).toBe(0);
    expect(await readFile(join(workspace, "runners", "exported.yaml"), "utf8")).toContain(RUNNER_EU_ID);
  });
});
