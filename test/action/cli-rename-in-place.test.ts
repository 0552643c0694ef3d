/**
 * Environment classes pinned by `id:` and renamed in place, through the CLI as a process against the
 * emulator: a new display name is one UpdateEnvironmentClass of the same class (never a create and a
 * disable), export writes the ids, and what a pin cannot honour is refused at plan in words.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, RUNNER_EU_ID, RUNNER_US_ID, startEmulator } from "../emulator/index.js";
import { runCli } from "../support/run-action.js";

let emu: Emulator;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator();
  dir = await mkdtemp(join(tmpdir(), "runner-config-rename-"));
});
afterAll(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  emu.state.reset();
  emu.requests.clear();
});

const SMALL = [{ key: "instanceType", value: "m6i.large" }];

function cli(args: string[]) {
  return runCli(args, { cwd: dir, api: emu });
}

/** A file with one class on the EU runner; `id` pins it. */
async function fileWith(entry: { id?: string; displayName: string; instanceType?: string }): Promise<string> {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(
    file,
    [
      "version: 1",
      "runners:",
      `  - id: ${RUNNER_EU_ID}`,
      "    name: aws-eu",
      "    environmentClasses:",
      ...(entry.id
        ? [`      - id: ${entry.id}`, `        displayName: ${entry.displayName}`]
        : [`      - displayName: ${entry.displayName}`]),
      "        description: A class for the rename tests",
      "        configuration:",
      `          instanceType: ${entry.instanceType ?? "m6i.large"}`,
      "",
    ].join("\n"),
  );
  return file;
}

describe("renaming an environment class in place", () => {
  it("a pinned class with a new display name is exactly one UpdateEnvironmentClass, and no create", async () => {
    const old = emu.state.seedEnvironmentClass({
      runnerId: RUNNER_EU_ID,
      displayName: "Small",
      configuration: SMALL,
    });
    const file = await fileWith({ id: old.id, displayName: "Small (legacy)" });

    const plan = await cli(["plan", "--config", file, "--prune"]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("update environment class Small (legacy)");
    expect(plan.stdout).toContain('displayName: "Small" -> "Small (legacy)"');
    expect(plan.stdout).toContain('note: rename "Small" -> "Small (legacy)" in place');
    expect(plan.stdout).toContain("Plan: 1 to update; 0 unchanged.");

    emu.requests.clear();
    const apply = await cli(["apply", "--config", file, "--prune", "--yes"]);
    expect(apply.code, `${apply.stdout}${apply.stderr}`).toBe(0);
    expect(emu.requests.count("UpdateEnvironmentClass")).toBe(1);
    expect(emu.requests.count("CreateEnvironmentClass")).toBe(0);
    expect(emu.requests.writes()).toHaveLength(1);
    const [update] = emu.requests.writes();
    expect(update?.body).toMatchObject({ environmentClassId: old.id, displayName: "Small (legacy)" });
    expect(emu.state.environmentClasses.get(old.id)).toMatchObject({
      displayName: "Small (legacy)",
      enabled: true,
    });
    expect([...emu.state.environmentClasses.values()]).toHaveLength(1);

    emu.requests.clear();
    const again = await cli(["plan", "--config", file, "--prune", "--detailed-exitcode"]);
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain("No changes.");
    expect(emu.requests.writes()).toHaveLength(0);
  });

  it("export writes the ids, so the exported file renames in place after an edit", async () => {
    const old = emu.state.seedEnvironmentClass({
      runnerId: RUNNER_EU_ID,
      displayName: "Small",
      configuration: SMALL,
    });
    const out = join(dir, "exported.yaml");
    const exported = await cli(["export", "--runner", RUNNER_EU_ID, "--out", out]);
    expect(exported.code, exported.stderr).toBe(0);
    const text = await readFile(out, "utf8");
    expect(text).toContain(`- id: ${old.id}\n        displayName: Small\n`);
    await writeFile(out, text.replace("displayName: Small\n", "displayName: Small Instance\n"));
    const apply = await cli(["apply", "--config", out, "--prune", "--yes"]);
    expect(apply.code, `${apply.stdout}${apply.stderr}`).toBe(0);
    expect(emu.requests.count("UpdateEnvironmentClass")).toBe(1);
    expect(emu.requests.count("CreateEnvironmentClass")).toBe(0);
    expect(emu.state.environmentClasses.get(old.id)?.displayName).toBe("Small Instance");
  });

  it("a pinned class whose configuration changes is refused at plan, at its line, and nothing is written", async () => {
    const old = emu.state.seedEnvironmentClass({
      runnerId: RUNNER_EU_ID,
      displayName: "Small",
      configuration: SMALL,
    });
    const file = await fileWith({ id: old.id, displayName: "Small", instanceType: "m6i.xlarge" });
    for (const command of [["plan"], ["apply", "--yes"], ["validate"]]) {
      const result = await cli([...command, "--config", file]);
      expect(result.code, result.stderr).toBe(1);
      // At the changed key's line.
      expect(result.stderr).toContain(`${file}:10:`);
      expect(result.stderr).toContain(
        `runners[0].environmentClasses[0].configuration: the configuration of environment class "Small" (${old.id}) cannot change in place (changed: instanceType)`,
      );
      expect(result.stderr).toContain("remove id: to replace the class");
    }
    expect(emu.requests.writes()).toHaveLength(0);
  });

  it("an id that is not on the runner is an error in words: another runner's, or none at all", async () => {
    const theirs = emu.state.seedEnvironmentClass({
      runnerId: RUNNER_US_ID,
      displayName: "Small",
      configuration: SMALL,
    });
    const elsewhere = await cli([
      "plan",
      "--config",
      await fileWith({ id: theirs.id, displayName: "Small" }),
    ]);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain(
      `:6:13: runners[0].environmentClasses[0].id: environment class ${theirs.id} belongs to runner ${RUNNER_US_ID}, not to runner aws-eu (${RUNNER_EU_ID})`,
    );

    const unknown = "0b7d2f4e-9c1a-4e8b-a3f6-5d2c1e0f9a8b";
    const nowhere = await cli(["plan", "--config", await fileWith({ id: unknown, displayName: "Small" })]);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toContain(
      `environment class ${unknown} does not exist on runner aws-eu (${RUNNER_EU_ID}): remove id: to create a new class`,
    );
    expect(emu.requests.writes()).toHaveLength(0);
  });

  it("without an id a rename is still a create and, with prune, a disable; the plan says how to keep the class", async () => {
    const old = emu.state.seedEnvironmentClass({
      runnerId: RUNNER_EU_ID,
      displayName: "Small",
      configuration: SMALL,
    });
    const file = await fileWith({ displayName: "Small (legacy)" });
    const plan = await cli(["plan", "--config", file, "--prune"]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("create environment class Small (legacy)");
    expect(plan.stdout).toContain("disable environment class Small");
    expect(plan.stdout).toContain(
      `note: looks like a rename of "Small" (${old.id}): as written, apply creates a new class and disables the old one`,
    );
    expect(plan.stdout).toContain(`to rename it in place, add "id: ${old.id}" to this entry`);

    // Without prune nothing is disabled, and nothing is said.
    const keep = await cli(["plan", "--config", file]);
    expect(keep.stdout).not.toContain("looks like a rename");
  });

  it("the same id pinned twice in a runner is an error at the second entry", async () => {
    const file = join(dir, "twice.yaml");
    const id = "0b7d2f4e-9c1a-4e8b-a3f6-5d2c1e0f9a8b";
    await writeFile(
      file,
      `version: 1\nruns: []\n`.replace(
        "runs: []\n",
        `runners:\n  - id: ${RUNNER_EU_ID}\n    environmentClasses:\n      - id: ${id}\n        displayName: One\n      - id: ${id}\n        displayName: Two\n`,
      ),
    );
    const result = await runCli(["validate", "--offline", "--config", file], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${file}:7:13: runners[0].environmentClasses[1].id: environment class ${id} is pinned by two entries in this runner`,
    );
  });
});
