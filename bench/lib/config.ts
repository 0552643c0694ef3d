/**
 * The benchmark's sizes, from the environment so a run fits the time at hand. Defaults are the
 * issue's values (about 8-10 minutes on 2 cores):
 *
 *   BENCH_RUNS=5                 repetitions behind every median (sync, scale, large change, bot)
 *   BENCH_SCALE_POINTS=100,1000,10000,20000,50000
 *   BENCH_SCALE_RUNS             plan runs per scale point (default BENCH_RUNS)
 *   BENCH_LARGE_OBJECTS=10000    the large-change scenario's size
 *   BENCH_ACTION_RUNS=7          action starts
 *   BENCH_BOT_SECONDS=5          load per bot run (100 connections)
 *   BENCH_LIST_USERS=5000, BENCH_LIST_TOKENS=15000   the large-workspace list (tokens per runner)
 *   BENCH_FLOOD_COMMANDS=1000, BENCH_FLOOD_RUNS=3    the bot footprint flood (commands per run, runs)
 *   BENCH_POLICY_OBJECTS=10000   the policies scenario's plan size
 *   BENCH_ONLY=sync,scale,large,action,bot,list,footprint,policies   run only these scenarios
 */

import { FULL_ACTION_START } from "../scenarios/action-start.js";
import { FULL_BOT_ACK } from "../scenarios/bot-ack.js";
import { FULL_BOT_FOOTPRINT } from "../scenarios/bot-footprint.js";
import { FULL_BOT_LIST_LARGE } from "../scenarios/bot-list-large.js";
import { FULL_LARGE_CHANGE } from "../scenarios/large-change.js";
import { FULL_POLICIES } from "../scenarios/policies.js";
import { FULL_SCALE } from "../scenarios/scale.js";
import { FULL_SYNC } from "../scenarios/sync.js";
import type { SuiteConfig } from "../suite.js";

const SCENARIO_IDS = ["sync", "scale", "large", "action", "bot", "list", "footprint", "policies"] as const;
type ScenarioId = (typeof SCENARIO_IDS)[number];

type Env = Readonly<Record<string, string | undefined>>;

function positiveInteger(env: Env, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got "${text}"`);
  return value;
}

function integerList(env: Env, name: string, fallback: number[]): number[] {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const values = text.split(",").map((part) => Number(part.trim()));
  if (values.length < 2 || values.some((value) => !Number.isInteger(value) || value < 10))
    throw new Error(`${name} must list at least two sizes >= 10, comma separated, got "${text}"`);
  return values.sort((a, b) => a - b);
}

function only(env: Env): Set<ScenarioId> {
  const text = env.BENCH_ONLY;
  if (text === undefined || text === "") return new Set(SCENARIO_IDS);
  const wanted = text.split(",").map((part) => part.trim());
  for (const id of wanted) {
    if (!(SCENARIO_IDS as readonly string[]).includes(id))
      throw new Error(`BENCH_ONLY: unknown scenario "${id}" (known: ${SCENARIO_IDS.join(", ")})`);
  }
  return new Set(wanted as ScenarioId[]);
}

export function benchConfig(env: Env = process.env): SuiteConfig {
  const runs = positiveInteger(env, "BENCH_RUNS", 5);
  const selected = only(env);
  // Every knob is read (a bad one fails) even for a scenario that is not selected.
  const all: Required<SuiteConfig> = {
    sync: { ...FULL_SYNC, runs },
    scale: {
      ...FULL_SCALE,
      points: integerList(env, "BENCH_SCALE_POINTS", FULL_SCALE.points),
      runs: positiveInteger(env, "BENCH_SCALE_RUNS", runs),
    },
    largeChange: {
      ...FULL_LARGE_CHANGE,
      objects: positiveInteger(env, "BENCH_LARGE_OBJECTS", FULL_LARGE_CHANGE.objects),
      runs,
    },
    actionStart: {
      ...FULL_ACTION_START,
      runs: positiveInteger(env, "BENCH_ACTION_RUNS", FULL_ACTION_START.runs),
    },
    botAck: {
      ...FULL_BOT_ACK,
      durationSeconds: positiveInteger(env, "BENCH_BOT_SECONDS", FULL_BOT_ACK.durationSeconds),
      runs,
    },
    botListLarge: {
      ...FULL_BOT_LIST_LARGE,
      users: positiveInteger(env, "BENCH_LIST_USERS", FULL_BOT_LIST_LARGE.users),
      tokensPerRunner: positiveInteger(env, "BENCH_LIST_TOKENS", FULL_BOT_LIST_LARGE.tokensPerRunner),
      runs,
    },
    botFootprint: {
      ...FULL_BOT_FOOTPRINT,
      commands: positiveInteger(env, "BENCH_FLOOD_COMMANDS", FULL_BOT_FOOTPRINT.commands),
      runs: positiveInteger(env, "BENCH_FLOOD_RUNS", FULL_BOT_FOOTPRINT.runs),
    },
    policies: {
      ...FULL_POLICIES,
      objects: positiveInteger(env, "BENCH_POLICY_OBJECTS", FULL_POLICIES.objects),
      runs,
    },
  };
  // A scenario not selected is left out: the suite skips a missing one.
  return {
    ...(selected.has("sync") ? { sync: all.sync } : {}),
    ...(selected.has("scale") ? { scale: all.scale } : {}),
    ...(selected.has("large") ? { largeChange: all.largeChange } : {}),
    ...(selected.has("action") ? { actionStart: all.actionStart } : {}),
    ...(selected.has("bot") ? { botAck: all.botAck } : {}),
    ...(selected.has("list") ? { botListLarge: all.botListLarge } : {}),
    ...(selected.has("footprint") ? { botFootprint: all.botFootprint } : {}),
    ...(selected.has("policies") ? { policies: all.policies } : {}),
  };
}
