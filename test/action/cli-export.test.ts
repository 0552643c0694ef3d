/**
 * `export` as a user runs it: the CLI process against the emulator. The exported file plans to no
 * changes (also for the awkward states), says what it could not express, and never holds a secret.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Emulator, RUNNER_EU_ID, RUNNER_US_ID, startEmulator } from "../emulator/index.js";
import { seedRandomState } from "../export/random-state.js";
import { runCli } from "../support/run-action.js";

let emu: Emulator;
let dir: string;
const CANARY = "canary-oauth-secret-8f3a";

beforeAll(async () => {
  emu = await startEmulator();
  dir = await mkdtemp(join(tmpdir(), "runner-config-export-"));
});
afterAll(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => emu.state.reset());

function cli(args: string[], env: Record<string, string> = {}) {
  return runCli(args, { cwd: dir, api: emu, env });
}

function seedAwkward() {
  const eu = RUNNER_EU_ID;
  const us = RUNNER_US_ID;
  const config = [{ key: "instanceType", value: "m6i.large" }];
  const first = emu.state.seedEnvironmentClass({ runnerId: eu, displayName: "Dev", configuration: config });
  const second = emu.state.seedEnvironmentClass({
    runnerId: eu,
    displayName: "Dev",
    description: "the other one",
    configuration: [...config, { key: "diskSize", value: "80" }],
  });
  emu.state.seedEnvironmentClass({ runnerId: eu, displayName: "Old", enabled: false, configuration: config });
  emu.state.seedEnvironmentClass({ runnerId: us, displayName: "Dev", configuration: config });
  emu.state.seedScmIntegration({
    runnerId: eu,
    scmId: "github",
    host: "github.com",
    pat: true,
    oauthClientId: "Iv1.8a61f9b3a7aba766",
    oauthClientSecret: CANARY,
  });
  emu.state.seedScmIntegration({
    runnerId: us,
    scmId: "github",
    host: "github.com",
    oauthClientId: "other",
    oauthClientSecret: CANARY,
  });
  emu.state.seedScmIntegration({
    runnerId: eu,
    scmId: "azure-devops-server",
    host: "ado.example.com",
    virtualDirectory: "/tfs",
    pat: true,
  });
  emu.state.seedScmIntegration({ runnerId: us, scmId: "gitlab", host: "gitlab.com", pat: false });
  return { first, second };
}

describe("gitpod-runner-config export", () => {
  it("writes a file that plans to no changes, says what it left out, and holds no secret", async () => {
    const { first, second } = seedAwkward();
    const file = join(dir, "exported.yaml");
    const result = await cli(["export", "--runner", "all", "--out", file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("");
    const text = await readFile(file, "utf8");
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^# yaml-language-server: \$schema=https:\/\/.+runner-config\.schema\.json$/);
    expect(lines[1]).toContain(`from ${emu.url}`);
    // Same host with OAuth on two runners: one variable per runner, both listed in the header.
    const euVariable = `OAUTH_SECRET_GITHUB_COM_${RUNNER_EU_ID.slice(0, 8).toUpperCase()}`;
    const usVariable = `OAUTH_SECRET_GITHUB_COM_${RUNNER_US_ID.slice(0, 8).toUpperCase()}`;
    expect(text).toContain(`clientSecret: \${${euVariable}}`);
    expect(text).toContain(`#   ${usVariable}: github github.com on runner ${RUNNER_US_ID}`);
    expect(text).toContain("virtualDirectory: /tfs");
    expect(text).toContain("enabled: false");
    expect(`${text}${result.stderr}`).not.toContain(CANARY);
    // Two classes named "Dev" on one runner: the enabled first one is kept, and both the file and
    // the terminal say so.
    expect(result.stderr).toContain(`2 environment classes named "Dev"`);
    expect(result.stderr).toContain(`keeps ${first.id} (enabled) and leaves out ${second.id}`);
    expect(text).toContain(`leaves out ${second.id}`);
    expect(result.stderr).toContain(`set ${euVariable}, ${usVariable} where plan and apply run`);

    emu.requests.clear();
    const plan = await cli(["plan", "--config", file, "--detailed-exitcode"], {
      [euVariable]: "x",
      [usVariable]: "y",
    });
    expect(plan.stderr).toBe("");
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain("No changes.");
    expect(emu.requests.writes()).toHaveLength(0);
  });

  it("exports one runner to standard output; an edit then shows as a change", async () => {
    seedAwkward();
    const result = await cli(["export", "--runner", RUNNER_US_ID]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`- id: ${RUNNER_US_ID}`);
    expect(result.stdout).not.toContain(RUNNER_EU_ID);
    const file = join(dir, "us.yaml");
    await writeFile(
      file,
      result.stdout.replace("host: gitlab.com\n        pat: false", "host: gitlab.com\n        pat: true"),
    );
    const plan = await cli(["plan", "--config", file, "--detailed-exitcode"], {
      OAUTH_SECRET_GITHUB_COM: "x",
    });
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toContain("pat: false -> true");
  });

  it("round-trips randomised states through the CLI processes too (export, then plan --detailed-exitcode)", {
    timeout: 120_000,
  }, async () => {
    // The in-process property test covers 240 states; this runs a sample through the real processes.
    for (const seed of [3, 17, 42, 99, 123, 200, 333, 512]) {
      seedRandomState(emu.state, seed);
      const exported = await cli(["export", "--runner", "all"]);
      expect(exported.code, exported.stderr).toBe(0);
      const file = join(dir, `random-${seed}.yaml`);
      await writeFile(file, exported.stdout);
      const variables = [...exported.stdout.matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1] ?? "");
      const env = Object.fromEntries(variables.map((name) => [name, "anything"]));
      const plan = await cli(["plan", "--config", file, "--detailed-exitcode"], env);
      expect(plan.code, `seed ${seed}: ${plan.stdout}${plan.stderr}\n${exported.stdout}`).toBe(0);
      expect(plan.stdout).toContain("No changes.");
    }
  });

  it("writes service accounts' host tokens as variables, never users' tokens, and plans to no changes", async () => {
    const serviceAccount = "7d1e6f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6";
    const user = "5b4a3928-1706-4f5e-8d3c-2b1a09f8e7d6";
    const canaries = ["canary-sa-token-5d2e", "canary-sa-refresh-91c0", "canary-user-token-77ab"] as const;
    const integration = emu.state.seedScmIntegration({
      runnerId: RUNNER_EU_ID,
      scmId: "github",
      host: "github.com",
      pat: true,
    });
    emu.state.seedHostToken({
      runnerId: RUNNER_EU_ID,
      host: "github.com",
      subject: { id: serviceAccount, principal: "PRINCIPAL_SERVICE_ACCOUNT" },
      source: "HOST_AUTHENTICATION_TOKEN_SOURCE_PAT",
      token: canaries[0],
      refreshToken: canaries[1],
      integrationId: integration.id,
      expiresAt: "2027-01-31T00:00:00Z",
      scopes: ["repo", "read:org"],
    });
    emu.state.seedHostToken({ runnerId: RUNNER_EU_ID, host: "github.com", userId: user, token: canaries[2] });

    const file = join(dir, "tokens.yaml");
    const result = await cli(["export", "--runner", RUNNER_EU_ID, "--out", file]);
    expect(result.code, result.stderr).toBe(0);
    const text = await readFile(file, "utf8");
    const variable = "HOST_TOKEN_GITHUB_COM_7D1E6F0A";
    expect(parse(text).runners[0].hostAuthenticationTokens).toEqual([
      {
        host: "github.com",
        serviceAccount,
        token: `\${${variable}}`,
        expiresAt: "2027-01-31T00:00:00Z",
        scopes: ["repo", "read:org"],
        integration: "github",
      },
    ]);
    expect(text).toContain(
      `#   ${variable}: service account ${serviceAccount} at github.com on runner ${RUNNER_EU_ID}`,
    );
    expect(text).toContain("A refresh token cannot be read back either");
    expect(result.stderr).toContain("1 SCM integration(s), 1 service-account host token(s)");
    expect(result.stderr).toContain(`set ${variable} where plan and apply run`);
    // The user's token is the user's: not in the file, not even its owner.
    expect(text).not.toContain(user);
    for (const canary of canaries) expect(`${text}${result.stdout}${result.stderr}`).not.toContain(canary);

    emu.requests.clear();
    const plan = await cli(["plan", "--config", file, "--detailed-exitcode"], { [variable]: "x" });
    expect(plan.code, `${plan.stdout}${plan.stderr}`).toBe(0);
    expect(plan.stdout).toContain("No changes.");
    expect(emu.requests.writes()).toHaveLength(0);
    // What the file cannot know, the token itself, is sent only when asked to.
    const rotate = await cli(["plan", "--config", file, "--detailed-exitcode", "--rotate-secrets"], {
      [variable]: "x",
    });
    expect(rotate.code, `${rotate.stdout}${rotate.stderr}`).toBe(2);
    expect(rotate.stdout).toContain("(secret rotated)");
  });

  it("says what is wrong with the arguments or the runner", async () => {
    const none = await cli(["export"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("export needs --runner ID (repeatable) or --runner all");
    const notUuid = await cli(["export", "--runner", "aws-eu"]);
    expect(notUuid.code).toBe(2);
    expect(notUuid.stderr).toContain('--runner: "aws-eu" is not a runner id (a UUID) or all');
    const unknown = await cli(["export", "--runner", "11111111-2222-4333-8444-555555555555"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("runner 11111111-2222-4333-8444-555555555555 was not found");
    const empty = await cli(["export", "--runner", "all"]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain("nothing to export");
    const noToken = await cli(["export", "--runner", "all"], { GITPOD_API_KEY: "" });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("ONA_API_KEY (or the legacy GITPOD_API_KEY) is not set");
  });
});
