/**
 * The JSON Schema and the loader agree: the examples and the bad-config corpus are run through both
 * (ajv, draft 2020-12, with the runners' live schemas), and the committed structure-only schema is
 * what `schema` prints. The rules JSON Schema cannot express are listed, not skipped silently.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runnerConfigJsonSchema } from "../../shared/config/json-schema.js";
import { loadRunnerConfig } from "../../shared/config/load.js";
import { checkAgainstSchema } from "../../shared/config/schema-check.js";
import {
  defaultRunnerSchema,
  type Emulator,
  RUNNER_EU_ID,
  RUNNER_US_ID,
  startEmulator,
} from "../emulator/index.js";
import { runCli } from "../support/run-action.js";

const CORPUS = resolve("test/action/bad-configs");
const EXAMPLES = [resolve("examples/runner-config.yaml")];
/**
 * Rejected by the loader, beyond JSON Schema: uniqueness of an item's key within a list, and a
 * reference from one list to another (a host token's integration).
 */
const BEYOND_JSON_SCHEMA = new Set([
  "10-duplicate-environment-class.yaml",
  "11-duplicate-scm-integration.yaml",
  "34-host-token-unknown-integration.yaml",
  "36-host-token-duplicate.yaml",
  "39-llm-duplicate-endpoint.yaml",
]);
/**
 * Accepted by both here: they fail later (an unset variable, server-side checks, an unknown runner,
 * a check against the runner's objects such as a new class without a description).
 */
const LATER = /^(13|22|2[4-7]|31|50)-/;

const RUNNERS = [
  { runnerId: RUNNER_EU_ID, schema: defaultRunnerSchema() },
  { runnerId: RUNNER_US_ID, schema: defaultRunnerSchema() },
];

function validator(schema: object) {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
  return ajv.compile(schema);
}

/** Whether the loader (structure, secret references with every variable set, live schemas) rejects. */
function loaderRejects(text: string): boolean {
  const env = Object.fromEntries(
    [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => [m[1], "set"]),
  );
  const loaded = loadRunnerConfig("f.yaml", text, env);
  if (loaded.issues.length > 0 || !loaded.desired) return true;
  return loaded.desired.runners.some((runner) => {
    const known = RUNNERS.find((r) => r.runnerId === runner.id);
    return known ? checkAgainstSchema("f.yaml", runner, known.schema).length > 0 : false;
  });
}

function schemaRejects(validate: ReturnType<typeof validator>, text: string): boolean {
  let data: unknown;
  try {
    data = parse(text, { uniqueKeys: true });
  } catch {
    return true; // not YAML: neither the editor nor the loader accepts it
  }
  return !validate(data);
}

describe("the JSON Schema", () => {
  const withRunners = validator(runnerConfigJsonSchema(RUNNERS));
  const structureOnly = validator(runnerConfigJsonSchema());

  it("accepts the examples, with and without the runners' keys", () => {
    for (const file of EXAMPLES) {
      const data = parse(readFileSync(file, "utf8"));
      expect(structureOnly(data), JSON.stringify(structureOnly.errors)).toBe(true);
      expect(withRunners(data), JSON.stringify(withRunners.errors)).toBe(true);
    }
  });

  const files = readdirSync(CORPUS).filter((name) => name.endsWith(".yaml"));
  for (const name of files) {
    it(`agrees with the loader on ${name}`, () => {
      const text = readFileSync(join(CORPUS, name), "utf8");
      const loader = loaderRejects(text);
      const schema = schemaRejects(withRunners, text);
      if (BEYOND_JSON_SCHEMA.has(name)) {
        expect([loader, schema]).toEqual([true, false]);
      } else if (LATER.test(name)) {
        expect([loader, schema]).toEqual([false, false]);
      } else {
        expect([loader, schema]).toEqual([true, true]);
      }
      // Without the runners' keys the schema accepts no less than with them.
      if (!schema) expect(schemaRejects(structureOnly, text)).toBe(false);
    });
  }

  it("rejects m6i.huge and offers the runner's instance types, with descriptions", () => {
    const schema = runnerConfigJsonSchema(RUNNERS) as { $defs: { runner: { allOf: unknown[] } } };
    const text = JSON.stringify(schema);
    expect(text).toContain('"enum":["m6i.large","m6i.xlarge","m6i.2xlarge","m6i.4xlarge","g5.xlarge"]');
    expect(text).toContain("Instance type: EC2 instance type of the environment's VM");
    const huge = parse(readFileSync(EXAMPLES[0] ?? "", "utf8").replace("m6i.large", "m6i.huge"));
    expect(withRunners(huge)).toBe(false);
    expect(structureOnly(huge)).toBe(true);
  });
});

describe("gitpod-runner-config schema", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => emu.close());
  const cli = (args: string[]) => runCli(args, { api: emu, fastClient: false });

  it("prints the committed structure-only schema (keep schema/ in sync: `schema --out schema/runner-config.schema.json`)", async () => {
    const result = await cli(["schema"]);
    expect(result.code).toBe(0);
    const committed = JSON.parse(readFileSync("schema/runner-config.schema.json", "utf8"));
    expect(JSON.parse(result.stdout)).toEqual(committed);
    expect(committed).toEqual(runnerConfigJsonSchema());
    expect(committed.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  });

  it("adds a runner's configuration keys from its live schema", async () => {
    const result = await cli(["schema", "--runner", RUNNER_EU_ID]);
    expect(result.code, result.stderr).toBe(0);
    const validate = validator(JSON.parse(result.stdout));
    const example = parse(readFileSync(EXAMPLES[0] ?? "", "utf8"));
    expect(validate(example)).toBe(true);
    example.runners[0].environmentClasses[0].configuration.instanceType = "m6i.huge";
    expect(validate(example)).toBe(false);
    expect(JSON.stringify(validate.errors)).toContain("must be equal to one of the allowed values");
    const unknown = await cli(["schema", "--runner", "11111111-2222-4333-8444-555555555555"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("was not found");
  });
});
