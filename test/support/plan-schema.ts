/**
 * The published plan format (schema/plan.schema.json), checked on every plan a test saves: the CLI's
 * `plan --out` (runCli) and the action's `saved-plan-file` (runAction). A saved plan that the schema
 * refuses fails the test that made it, so conftest users can trust the schema.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

let validate: ReturnType<Ajv2020["compile"]> | undefined;

function planValidator(): ReturnType<Ajv2020["compile"]> {
  if (!validate) {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    (addFormats as unknown as (instance: Ajv2020) => void)(ajv);
    validate = ajv.compile(JSON.parse(readFileSync("schema/plan.schema.json", "utf8")));
  }
  return validate;
}

/** Throws when the saved plan at `file` does not validate against the published schema. */
export async function expectSavedPlanMatchesSchema(file: string): Promise<void> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, "utf8"));
  } catch {
    return; // not written (the command failed before saving) or not JSON: the test says what it expects
  }
  const check = planValidator();
  if (!check(data)) {
    throw new Error(
      `the saved plan ${file} does not match schema/plan.schema.json: ${JSON.stringify(check.errors)}`,
    );
  }
}
