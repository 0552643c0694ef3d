/**
 * A saved plan edited between `plan --out` and `apply`: another runner's class as `currentId`, a
 * delete of another runner's integration, a destructive delete with its flag dropped or
 * `allowDestructive` written in, the API token as an OAuth secret, an unknown kind, a format 1
 * plan, a config file changed after planning. `apply plan.json` plans again from the files and the
 * runners and applies only what equals the saved plan: each edit is refused in words and nothing is
 * written. And the file itself may not name the product's own credentials as a secret. The CLI
 * runs as a process (dist/cli.js).
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type Emulator,
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  RUNNER_US_ID,
  startEmulator,
} from "../emulator/index.js";
import {
  makeWorkspace,
  type ProcessResult,
  removeWorkspace,
  runCli,
  WORKSPACE_CONFIG,
} from "../support/run-action.js";

const CONFIG = `version: 1
runners:
  - id: ${RUNNER_EU_ID}
    environmentClasses:
      - displayName: Small Instance
        description: the new description
        configuration:
          instanceType: m6i.large
    scmIntegrations:
      - scmId: github
        host: github.com
        pat: true
        oauth:
          clientId: ${GITHUB_OAUTH_CLIENT_ID}
          clientSecret: \${GITHUB_OAUTH_CLIENT_SECRET}
`;

let emu: Emulator;
let workspace: string;
/** The class the file updates (EU), and one of another runner the file does not name (US). */
let euClassId: string;
let usClassId: string;
let usIntegrationId: string;

beforeEach(async () => {
  emu = await startEmulator();
  euClassId = emu.state.seedEnvironmentClass({
    runnerId: RUNNER_EU_ID,
    displayName: "Small Instance",
    description: "the old description",
    configuration: [{ key: "instanceType", value: "m6i.large" }],
  }).id;
  usClassId = emu.state.seedEnvironmentClass({
    runnerId: RUNNER_US_ID,
    displayName: "Other team's class",
    description: "keep me",
    configuration: [{ key: "instanceType", value: "m6i.xlarge" }],
  }).id;
  usIntegrationId = emu.state.seedScmIntegration({
    runnerId: RUNNER_US_ID,
    scmId: "gitlab",
    host: "gitlab.com",
    pat: true,
  }).id;
  workspace = await makeWorkspace(CONFIG);
});

afterEach(async () => {
  await emu.close();
  await removeWorkspace(workspace);
});

function cli(args: string[], env: Record<string, string> = {}): Promise<ProcessResult> {
  return runCli(args, {
    cwd: workspace,
    api: emu,
    env: { GITHUB_OAUTH_CLIENT_SECRET: GITHUB_OAUTH_SECRET, ...env },
  });
}

type Json = Record<string, unknown>;
type SavedOperation = Json & { kind: string; action: string; runnerId: string; key: string };

/** Plans into plan.json, lets `edit` change the parsed plan, writes it back; resolves with its path. */
async function planAndEdit(
  edit: (saved: Json & { plan: { runners: Array<{ operations: SavedOperation[] }> } }) => void,
  flags: string[] = [],
) {
  const file = join(workspace, "plan.json");
  const planned = await cli(["plan", ...flags, "--out", "plan.json"]);
  expect(planned.code, planned.stderr).toBe(0);
  const saved = JSON.parse(await readFile(file, "utf8"));
  edit(saved);
  await writeFile(file, JSON.stringify(saved, null, 2));
  emu.requests.clear();
  return file;
}

function operation(
  saved: { plan: { runners: Array<{ operations: SavedOperation[] }> } },
  kind: string,
  action: string,
) {
  const found = saved.plan.runners
    .flatMap((runner) => runner.operations)
    .find((o) => o.kind === kind && o.action === action);
  if (!found) throw new Error(`no ${action} of a ${kind} in the plan`);
  return found;
}

function expectNothingWritten(result: ProcessResult) {
  expect(result.code, result.stdout + result.stderr).not.toBe(0);
  expect(emu.requests.writes()).toHaveLength(0);
  expect(result.stderr).not.toMatch(/TypeError|at .*\.js:\d+/);
}

describe("an edited saved plan is not applied", () => {
  it("an update pointed at another runner's class", async () => {
    await planAndEdit((saved) => {
      operation(saved, "environmentClass", "update").currentId = usClassId;
    });
    const result = await cli(["apply", "plan.json"]);
    expectNothingWritten(result);
    expect(result.stderr).toContain("plan.json: the plan no longer matches: its operations differ");
    expect(emu.state.environmentClasses.get(usClassId)?.description).toBe("keep me");
  });

  it("a delete of another runner's integration listed under this runner", async () => {
    await planAndEdit((saved) => {
      const [runner] = saved.plan.runners as Array<{ operations: SavedOperation[] }>;
      runner?.operations.push({
        kind: "scmIntegration",
        runnerId: RUNNER_EU_ID,
        key: "github@github.com",
        action: "delete",
        currentId: usIntegrationId,
        changes: [{ field: "integration", from: "github github.com", to: "(deleted)" }],
      });
    });
    const result = await cli(["apply", "plan.json"]);
    expectNothingWritten(result);
    expect(result.stderr).toContain("only in the saved plan: delete SCM integration");
    expect(emu.state.scmIntegrations.has(usIntegrationId)).toBe(true);
  });

  it("a --prune plan with its destructive flag dropped, or allowDestructive written in", async () => {
    const pruned = emu.state.seedScmIntegration({
      runnerId: RUNNER_EU_ID,
      scmId: "gitlab",
      host: "gitlab.com",
      pat: true,
    });
    await planAndEdit(
      (saved) => {
        delete operation(saved, "scmIntegration", "delete").destructive;
      },
      ["--prune"],
    );
    const dropped = await cli(["apply", "plan.json", "--prune"]);
    expectNothingWritten(dropped);
    expect(dropped.stderr).toContain("the plan no longer matches");

    await planAndEdit(
      (saved) => {
        (saved.options as Json).allowDestructive = true;
        (saved.plan as unknown as Json & { options: Json }).options.allowDestructive = true;
      },
      ["--prune"],
    );
    const allowed = await cli(["apply", "plan.json", "--prune"]);
    expectNothingWritten(allowed);
    expect(allowed.stderr).toContain("--allow-destructive (the plan was made with it)");
    expect(emu.state.scmIntegrations.has(pruned.id)).toBe(true);
  });

  it("the API token named as the OAuth secret to send", async () => {
    await planAndEdit((saved) => {
      const create = operation(saved, "scmIntegration", "create") as SavedOperation & {
        desired: { oauth: Json };
      };
      create.desired.oauth.clientSecretEnv = "GITPOD_API_KEY";
      create.sendSecret = true;
    });
    const result = await cli(["apply", "plan.json"]);
    expectNothingWritten(result);
    expect(JSON.stringify(emu.requests.entries)).not.toContain(emu.token);
  });

  it("an unknown kind is a clear error, and a format 1 plan says how to make a new one", async () => {
    await planAndEdit((saved) => {
      operation(saved, "environmentClass", "update").kind = "runnerPolicy";
    });
    const unknown = await cli(["apply", "plan.json"]);
    expectNothingWritten(unknown);
    expect(unknown.stderr).toContain('has kind "runnerPolicy", which this version does not know');

    await planAndEdit((saved) => {
      saved.version = 1;
      delete saved.files;
    });
    const old = await cli(["apply", "plan.json"]);
    expectNothingWritten(old);
    expect(old.stderr).toContain(
      `Make a new one with: gitpod-runner-config plan --config ${WORKSPACE_CONFIG} --out plan.json`,
    );
  });

  it("a config file changed after planning, with both full hashes", async () => {
    await planAndEdit(() => {});
    await writeFile(join(workspace, WORKSPACE_CONFIG), CONFIG.replace("the new description", "another one"));
    const result = await cli(["apply", "plan.json"]);
    expectNothingWritten(result);
    const hashes = result.stderr.match(/sha256:[0-9a-f]{64}/g) ?? [];
    expect(result.stderr).toContain(
      `the plan no longer matches: ${WORKSPACE_CONFIG} changed since the plan was made`,
    );
    expect(new Set(hashes).size).toBe(2);
  });

  it("a file path pointed out of the repository is not read", async () => {
    const outside = join(workspace, "..", `outside-${Date.now()}.yaml`);
    await writeFile(outside, CONFIG);
    try {
      await planAndEdit((saved) => {
        (saved.files as Array<{ path: string }>)[0] = {
          ...(saved.files as Array<{ path: string }>)[0],
          path: outside,
        };
      });
      const result = await cli(["apply", "plan.json"]);
      expectNothingWritten(result);
      expect(result.stderr).toContain("the file's real path is outside the current directory");
    } finally {
      await rm(outside, { force: true });
    }
  });

  it("the unedited plan applies", async () => {
    await planAndEdit(() => {});
    const result = await cli(["apply", "plan.json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(emu.state.environmentClasses.get(euClassId)?.description).toBe("the new description");
  });
});

describe("the file may not name the product's own credentials as a secret", () => {
  it.each([
    "GITPOD_API_KEY",
    "ONA_API_KEY",
    "GITHUB_TOKEN",
    "ACTIONS_RUNTIME_TOKEN",
    "RUNNER_TEMP",
    "SLACK_BOT_TOKEN",
    "INPUT_TOKEN",
  ])("names %s", async (variable) => {
    await writeFile(
      join(workspace, WORKSPACE_CONFIG),
      CONFIG.replace("GITHUB_OAUTH_CLIENT_SECRET", variable),
    );
    emu.requests.clear();
    // GITPOD_API_KEY and ONA_API_KEY hold the API token the CLI runs with; the others get a canary value.
    const apiToken = variable === "GITPOD_API_KEY" || variable === "ONA_API_KEY";
    const value = apiToken ? emu.token : "canary-own-credential-value";
    const result = await cli(["apply"], variable === "GITPOD_API_KEY" ? {} : { [variable]: value });
    expectNothingWritten(result);
    expect(result.stderr).toContain(`${WORKSPACE_CONFIG}:15:`);
    expect(result.stderr).toContain(`clientSecret may not name ${variable}`);
    expect(result.stderr).not.toContain(value);
    expect(JSON.stringify(emu.requests.entries)).not.toContain(value);
  });
});
