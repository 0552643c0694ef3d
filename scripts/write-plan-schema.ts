/** Writes schema/plan.schema.json from the code (test/policies/plan-schema.test.ts checks they agree). */
import { writeFileSync } from "node:fs";
import { planJsonSchema } from "../shared/sync/plan-json-schema.js";

writeFileSync("schema/plan.schema.json", `${JSON.stringify(planJsonSchema(), null, 2)}\n`);
