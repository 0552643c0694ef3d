/**
 * Day one with a real team (issue 22's bugs), as a user meets them: the CLI as a process and the
 * bundled action as the runner runs it, against the emulator. `--out` creates missing folders; a run
 * needs only the secrets it sends; apply shows its plan before its progress; `--json` is one JSON
 * document for every command; live-schema errors keep their column; structure and live-schema errors
 * come in one run.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type Emulator,
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  startEmulator,
} from "../emulator/index.js";
import { githubIntegrationConfig, seedGitHubIntegration } from "../support/fixtures.js";
import { runAction, runCli } from "../support/run-action.js";

let emu: Emulator;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator();
  dir = await mkdtemp(join(tmpdir(), "runner-config-day-one-"));
});
afterAll(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  emu.state.reset();
  emu.requests.clear();
});

function cli(args: string[], env: Record<string, string> = {}) {
  return runCli(args, { cwd: dir, api: emu, env });
}

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** github.com on aws-eu with OAuth (the variable named by export's rule) and PATs on. */
function oauthConfig(clientId = GITHUB_OAUTH_CLIENT_ID): string {
  return githubIntegrationConfig(
    RUNNER_EU_ID,
    `        pat: true
        oauth:
          clientId: ${clientId}
          clientSecret: \${OAUTH_SECRET_GITHUB_COM}
`,
  );
}

const SERVICE_ACCOUNT = "7d1e6f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6";

describe("export", () => {
  it("creates the folders of --out that do not exist yet", async () => {
    emu.state.seedEnvironmentClass({
      runnerId: RUNNER_EU_ID,
      displayName: "Small",
      configuration: [{ key: "instanceType", value: "m6i.large" }],
    });
    const result = await cli(["export", "--runner", "all", "--out", "fresh/.gitpod/runner-config.yaml"]);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(dir, "fresh/.gitpod/runner-config.yaml"))).toBe(true);
  });
});

describe("the secrets a run needs", () => {
  it("plans and applies an unchanged OAuth integration without its secret, and says what will need it", async () => {
    seedGitHubIntegration(emu.state);
    const config = await file("unchanged.yaml", oauthConfig());
    const plan = await cli(["plan", "--config", config]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("No changes. 1 objects match the file.");
    expect(plan.stdout).toContain(
      "OAUTH_SECRET_GITHUB_COM is not set: not needed now (the secret is not sent), but a rotation",
    );
    const apply = await cli(["apply", "--config", config, "--yes"]);
    expect(apply.code, apply.stderr).toBe(0);
    expect(emu.requests.writes()).toHaveLength(0);

    // The action's plan, as the drift workflow runs it without the secret.
    const action = await runAction({
      configYaml: oauthConfig(),
      api: emu,
      inputs: { mode: "plan", "fail-on-drift": "true" },
    });
    expect(action.code, action.stdout).toBe(0);
    expect(action.outputs.summary).toBe("No changes. 1 objects match the file.");
  });

  it("refuses to plan a new client id without the secret it validates, at the field's line and column", async () => {
    seedGitHubIntegration(emu.state);
    const config = await file("new-client.yaml", oauthConfig("Iv1.another-client"));
    const plan = await cli(["plan", "--config", config]);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(
      `${config}:10:25: runners[0].scmIntegrations[0].oauth.clientSecret: environment variable OAUTH_SECRET_GITHUB_COM is not set (clientSecret): the plan sends this secret to the server to validate it`,
    );
    expect(emu.requests.count("ValidateRunnerConfiguration")).toBe(0);
    // With the secret set, the plan sends it to the server's validation.
    const withSecret = await cli(["plan", "--config", config], {
      OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET,
    });
    expect(withSecret.stderr).not.toContain("is not set");
    expect(emu.requests.count("ValidateRunnerConfiguration")).toBe(1);
  });

  it("plans a new host token without its value (nothing validates it) and refuses to apply without it", async () => {
    seedGitHubIntegration(emu.state);
    const config = await file(
      "token.yaml",
      `${oauthConfig()}    hostAuthenticationTokens:
      - host: github.com
        serviceAccount: ${SERVICE_ACCOUNT}
        token: \${HOST_TOKEN_GITHUB_COM_7D1E6F0A}
`,
    );
    const env = { OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET };
    const plan = await cli(["plan", "--config", config], env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("Plan: 1 to create; 1 unchanged.");
    expect(plan.stdout).toContain(
      "HOST_TOKEN_GITHUB_COM_7D1E6F0A is not set: apply sends this secret, so set it before applying",
    );
    const apply = await cli(["apply", "--config", config, "--yes"], env);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain(
      "environment variable HOST_TOKEN_GITHUB_COM_7D1E6F0A is not set (token): apply sends this secret",
    );
    expect(emu.requests.writes()).toHaveLength(0);
  });
});

describe("output order and --json", () => {
  const ONE_CLASS = `version: 1
runners:
  - id: ${RUNNER_EU_ID}
    environmentClasses:
      - displayName: Small
        description: A small class
        configuration:
          instanceType: m6i.large
`;

  it("apply without a terminal prints the plan before the first progress line", async () => {
    const result = await cli(["apply", "--config", await file("one.yaml", ONE_CLASS), "--yes"]);
    expect(result.code, result.stderr).toBe(0);
    const plan = result.stdout.indexOf("create environment class Small\n");
    const progress = result.stdout.indexOf("✓ [1/1] create environment class Small");
    expect(plan).toBeGreaterThanOrEqual(0);
    expect(progress).toBeGreaterThan(plan);
  });

  it("apply --json needs --yes, and a failed command still prints one JSON document", async () => {
    const result = await cli(["apply", "--config", await file("one.yaml", ONE_CLASS), "--json"]);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: expect.stringContaining("--yes") });
    expect(emu.requests.writes()).toHaveLength(0);
    const applied = await cli(["apply", "--config", await file("one.yaml", ONE_CLASS), "--json", "--yes"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ ok: true, changed: true });
  });

  it("validate --offline --json, validate FILE... --json, export --json and schema --json each print one document", async () => {
    const good = await file("good.yaml", ONE_CLASS);
    const bad = await file("bad.yaml", ONE_CLASS.replace("displayName: Small", "displayName: 3"));
    const offline = await cli(["validate", "--offline", "--json", "--config", good]);
    expect(offline.code).toBe(0);
    expect(JSON.parse(offline.stdout)).toMatchObject({ ok: true, offline: true, issues: [] });
    const failed = await cli(["validate", "--offline", "--json", "--config", bad]);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ ok: false, issues: [{ line: 5 }] });

    const each = await cli(["validate", "--offline", "--json", good, bad]);
    expect(each.code).toBe(1);
    const both = JSON.parse(each.stdout);
    expect(both.ok).toBe(false);
    expect(both.files.map((one: { ok: boolean }) => one.ok)).toEqual([true, false]);

    emu.state.seedEnvironmentClass({
      runnerId: RUNNER_EU_ID,
      displayName: "Small",
      configuration: [{ key: "instanceType", value: "m6i.large" }],
    });
    const exported = await cli(["export", "--runner", "all", "--json"]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout).text).toContain("displayName: Small");
    const schema = await cli(["schema", "--out", "schema/s.json", "--json"]);
    expect(schema.code, schema.stderr).toBe(0);
    expect(JSON.parse(schema.stdout)).toEqual({ ok: true, out: "schema/s.json", runners: [] });
  });
});

describe("errors: columns, and structure with live-schema in one run", () => {
  const UNKNOWN_KEY = `version: 1
runners:
  - id: ${RUNNER_EU_ID}
    environmentClasses:
      - displayName: Small
        configuration:
          instanceType: m6i.large
          diskSise: 50
`;

  it("keeps a live-schema error's column in the text, --json and the action's annotation", async () => {
    const config = await file("column.yaml", UNKNOWN_KEY);
    const text = await cli(["validate", "--config", config]);
    expect(text.stderr).toContain(`${config}:8:21: runners[0].environmentClasses[0].configuration.diskSise`);
    const json = await cli(["validate", "--config", config, "--json"]);
    expect(JSON.parse(json.stdout).issues).toMatchObject([{ line: 8, column: 21 }]);
    const action = await runAction({ configYaml: UNKNOWN_KEY, api: emu, inputs: { mode: "validate" } });
    expect(action.stdout).toMatch(
      /::error title=runner-config,file=\.gitpod\/runner-config\.yaml,line=8,col=21::/,
    );
  });

  it("says the field once, in the text and in the annotations", async () => {
    const bad = UNKNOWN_KEY.replace("version: 1", "version: 2");
    const text = await cli(["validate", "--offline", "--config", await file("twice.yaml", bad)]);
    expect(text.stderr).toContain(":1:10: version must be 1\n");
    const action = await runAction({ configYaml: bad, inputs: { mode: "validate" } });
    expect(action.stdout).toMatch(/::error [^\n]*line=1,col=10::version must be 1\n/);
    expect(action.stdout).not.toContain("version: version");
  });

  it("reports structure errors and the live-schema errors of the well-formed parts together", async () => {
    const both = `${UNKNOWN_KEY}    colour: blue
    scmIntegrations:
      - scmId: githib
        host: github.com
`;
    const config = await file("both.yaml", both);
    const text = await cli(["validate", "--config", config]);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain("3 errors");
    expect(text.stderr).toContain(`${config}:9:5: runners[0].colour: unknown key "colour"`);
    expect(text.stderr).toContain(`${config}:8:21:`);
    expect(text.stderr).toContain(
      `${config}:11:16: runners[0].scmIntegrations[0].scmId: unknown scmId "githib"`,
    );
    const action = await runAction({ configYaml: both, api: emu, inputs: { mode: "plan" } });
    expect(action.code).toBe(1);
    expect(action.stdout).toMatch(/::error [^\n]*line=9,col=5::runners\[0\]\.colour/);
    expect(action.stdout).toMatch(/::error [^\n]*line=8,col=21::[^\n]*diskSise/);
    expect(action.stdout).toMatch(/::error [^\n]*line=11,col=16::[^\n]*githib/);
    expect(emu.requests.writes()).toHaveLength(0);
  });
});
