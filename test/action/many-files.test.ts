/**
 * `config` naming several files or a glob: one plan across them, through the bundled action and the
 * CLI. A runner in two files is one error that names both places; a server-side rejection lands on
 * the file and line of the item it concerns.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRunnerConfigs } from "../../shared/config/load.js";
import type { Plan } from "../../shared/sync/plan-types.js";
import { type Emulator, RUNNER_EU_ID, RUNNER_US_ID, startEmulator } from "../emulator/index.js";
import { makeWorkspace, removeWorkspace, runAction, runCli } from "../support/run-action.js";

const TOKEN = "many-files-token";

const team = (runnerId: string, classes: string[]) => `version: 1
runners:
  - id: ${runnerId}
    environmentClasses:
${classes.map((name) => `      - displayName: ${name}\n        description: A team class\n        configuration:\n          instanceType: m6i.large\n`).join("")}`;

let emu: Emulator;
let workspace: string;
beforeAll(async () => {
  emu = await startEmulator({ token: TOKEN });
  workspace = await makeWorkspace("version: 1\nrunners: []\n");
  await mkdir(join(workspace, ".gitpod", "runners"));
  await writeFile(
    join(workspace, ".gitpod", "runners", "team-a.yaml"),
    team(RUNNER_EU_ID, ["A small", "A large"]),
  );
  await writeFile(join(workspace, ".gitpod", "runners", "team-b.yaml"), team(RUNNER_US_ID, ["B small"]));
});
afterAll(async () => {
  await emu.close();
  await removeWorkspace(workspace);
});

const action = (config: string) =>
  runAction({ workspace, api: { url: emu.url, token: TOKEN }, inputs: { mode: "plan", config } });

describe("config naming several files", () => {
  it("plans a glob's files as one plan", async () => {
    const result = await action(".gitpod/runners/*.yaml");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.outputs.summary).toBe("Plan: 3 to create; 0 unchanged.");
    const plan = JSON.parse(result.outputs.plan ?? "{}") as Plan;
    expect(plan.runners.map((runner) => runner.runnerId)).toEqual([RUNNER_EU_ID, RUNNER_US_ID]);
    expect(plan.file).toBe(".gitpod/runners/team-a.yaml, .gitpod/runners/team-b.yaml");
  });

  it("takes a comma- or newline-separated list, and the CLI takes the same", async () => {
    const list = await action(".gitpod/runners/team-b.yaml,\n.gitpod/runners/team-a.yaml");
    expect(list.outputs.summary).toBe("Plan: 3 to create; 0 unchanged.");
    const cli = await runCli(
      ["plan", "--config", ".gitpod/runners/team-a.yaml,.gitpod/runners/team-b.yaml", "--api-url", emu.url],
      { cwd: workspace, api: { token: TOKEN }, fastClient: false },
    );
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain("Plan: 3 to create; 0 unchanged.");
  });

  it("fails, naming the input, when a pattern matches nothing", async () => {
    const result = await action(".gitpod/teams/*.yaml");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '::error::config pattern ".gitpod/teams/*.yaml" matches no file (input config)',
    );
  });

  it("refuses a runner configured in two files with one error naming both places, and writes nothing", async () => {
    await writeFile(join(workspace, "dup.yaml"), `# copied by mistake\n${team(RUNNER_EU_ID, ["A small"])}`);
    const result = await action(".gitpod/runners/team-a.yaml\ndup.yaml");
    expect(result.code).toBe(1);
    const errors = result.stdout.split("\n").filter((line) => line.startsWith("::error "));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("file=dup.yaml,line=4");
    expect(errors[0]).toContain(
      `runner ${RUNNER_EU_ID} is also configured in .gitpod/runners/team-a.yaml:3 (runners[0]); a runner may be in one file only`,
    );
    expect(emu.requests.writes()).toHaveLength(0);
  });
});

describe("a server-side rejection", () => {
  it("lands on the file and line of its item, though both files have a runners[0].environmentClasses[0]", async () => {
    const teamB = team(RUNNER_US_ID, ["B small"]).replace(
      "      - displayName: B small\n        description: A team class\n",
      "      - displayName: B small\n        description: ab\n",
    );
    await writeFile(join(workspace, "team-b-short.yaml"), teamB);
    const result = await action(".gitpod/runners/team-a.yaml,team-b-short.yaml");
    expect(result.code).toBe(1);
    const errors = result.stdout.split("\n").filter((line) => line.startsWith("::error "));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("file=team-b-short.yaml,line=6");
    expect(errors[0]).toContain("runners[0].environmentClasses[0].description");
  });
});

describe("loadRunnerConfigs", () => {
  it("reports every file's own errors, each in its own file, files in the order given", () => {
    const loaded = loadRunnerConfigs(
      [
        { file: "b.yaml", text: "version: 1\nrunners:\n  - id: nope\n" },
        { file: "a.yaml", text: "version: 2\nrunners: []\n" },
      ],
      {},
    );
    expect(loaded.desired).toBeUndefined();
    expect([...new Set(loaded.issues.map((issue) => issue.file))]).toEqual(["b.yaml", "a.yaml"]);
  });
});
