/**
 * Child process of the policies scenario: plans the file at BENCH_CONFIG_PATH against the emulator
 * at BENCH_GITPOD_URL, then compiles and evaluates the rules at BENCH_POLICY_PATH on that plan, each
 * timed in CPU (bench/lib/engine.ts policyCost).
 */
import { readFileSync } from "node:fs";
import { keepYoungGenerationSmall } from "../../action/young-generation.js";
import { type PolicyCost, policyCost } from "../lib/engine.js";
import { ownStats, type ProcessStats, send } from "./protocol.js";

export type PolicyCostStats = ProcessStats & PolicyCost;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  keepYoungGenerationSmall();
  const cost = await policyCost(
    { url: required("BENCH_GITPOD_URL"), token: required("BENCH_GITPOD_TOKEN") },
    readFileSync(required("BENCH_CONFIG_PATH"), "utf8"),
    readFileSync(required("BENCH_POLICY_PATH"), "utf8"),
  );
  const stats: PolicyCostStats = { ...ownStats(), ...cost };
  send({ type: "stats", stats: { ...stats } });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    send({ type: "error", message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  },
);
