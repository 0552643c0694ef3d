/**
 * schema/plan.schema.json, the published JSON Schema of the saved plan (for conftest/OPA users), is
 * what the code builds, and the plans the CLI saves validate against it: creates, and after an
 * apply, updates, disables and deletes with their destructive notes.
 */
import { readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planJsonSchema } from "../../shared/sync/plan-json-schema.js";
import { type Emulator, GITHUB_OAUTH_SECRET, startEmulator } from "../emulator/index.js";
import { makeWorkspace, removeWorkspace, runCli, WORKSPACE_CONFIG } from "../support/run-action.js";

const committed = JSON.parse(readFileSync("schema/plan.schema.json", "utf8"));

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
  return ajv.compile(committed);
}

describe("the plan's JSON Schema", () => {
  it("is what the code builds (regenerate: npx tsx scripts/write-plan-schema.ts)", () => {
    expect(committed).toEqual(planJsonSchema());
    expect(committed.properties.version.const).toBe(2);
  });

  it("refuses what is not a saved plan of this format", () => {
    const validate = validator();
    expect(validate({ format: "gitpod-runner-config-plan", version: 1 })).toBe(false);
    expect(validate({})).toBe(false);
  });
});

describe("plans the CLI saves validate against it", () => {
  let emu: Emulator;
  let workspace: string;
  beforeAll(async () => {
    emu = await startEmulator();
    workspace = await makeWorkspace(readFileSync("examples/runner-config.yaml"));
  });
  afterAll(async () => {
    await emu.close();
    await removeWorkspace(workspace);
  });
  const cli = (args: string[]) =>
    runCli(args, { cwd: workspace, api: emu, env: { OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET } });
  const savedPlan = async (flags: string[]) => {
    const result = await cli(["plan", ...flags, "--out", "plan.json"]);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(await readFile(join(workspace, "plan.json"), "utf8"));
  };

  it("a plan of creates, and one of updates, disables and destructive deletes", async () => {
    const validate = validator();
    const creates = await savedPlan([]);
    expect(validate(creates), JSON.stringify(validate.errors)).toBe(true);
    expect((await cli(["apply", "plan.json", "--yes"])).code).toBe(0);

    const text = readFileSync("examples/runner-config.yaml", "utf8")
      .replace("description: 2 CPU, 8 GiB RAM", "description: 2 CPU, 8 GiB RAM, cheap")
      .replace(/ {6}- scmId: azure-devops-server\n(?: {8}.*\n)+/, "")
      .replace(/ {6}- displayName: Large Instance\n(?: {8}.*\n| {10}.*\n)+/, "");
    await writeFile(join(workspace, WORKSPACE_CONFIG), text);
    const changes = await savedPlan(["--prune", "--allow-destructive"]);
    expect(validate(changes), JSON.stringify(validate.errors)).toBe(true);
    const actions = changes.plan.runners.flatMap((runner: { operations: Array<{ action: string }> }) =>
      runner.operations.map((operation) => operation.action),
    );
    expect(actions).toEqual(expect.arrayContaining(["update", "disable", "delete", "no-op"]));
  });
});
