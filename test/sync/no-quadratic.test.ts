/**
 * No quadratic path in apply or in server-side validation. Each test counts the operations the
 * suspect step does (not time) at a size where a quadratic step would do millions of them.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  generateDesiredState,
  OAUTH_SECRET,
  OAUTH_SECRET_ENV,
  prepareEmulator,
  seedSyncedState,
  toRunnerConfigYaml,
} from "../../bench/lib/desired-state.js";
import { GitpodClient } from "../../shared/api/index.js";
import { loadRunnerConfig } from "../../shared/config/load.js";
import { applyPlan } from "../../shared/sync/apply.js";
import { readCurrentState } from "../../shared/sync/current-state.js";
import { runSync } from "../../shared/sync/engine.js";
import { buildPlan } from "../../shared/sync/plan.js";
import { pendingOperations } from "../../shared/sync/plan-types.js";
import { type Emulator, startEmulator } from "../emulator/index.js";

/** A set that counts how many elements were read by iterating it (copying it iterates it). */
/** Counts reads of the elements of an array (each index read is one element looked at). */
function countingReads<T>(items: T[]): { items: T[]; reads: () => number } {
  let reads = 0;
  const proxy = new Proxy(items, {
    get(target, property, receiver) {
      if (typeof property === "string" && /^[0-9]+$/.test(property)) reads++;
      return Reflect.get(target, property, receiver);
    },
  });
  return { items: proxy, reads: () => reads };
}

const PLAN_OPTIONS = { prune: false, allowDestructive: false, rotateSecrets: false };

let emu: Emulator;
let client: GitpodClient;
beforeEach(async () => {
  emu = await startEmulator();
  client = new GitpodClient({ baseUrl: emu.url, apiKey: emu.token, connections: 32 });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await client.close();
  await emu.close();
});

describe("no quadratic path", () => {
  it("applies 1,000 updates next to 4,000 known classes without copying the known ids per operation", async () => {
    const runners = generateDesiredState({ runners: 1, classesPerRunner: 4000, integrationsPerRunner: 1 });
    prepareEmulator(emu, runners);
    const drifted = seedSyncedState(emu, runners, 4);
    expect(drifted).toBe(1000);
    const loaded = loadRunnerConfig("bench.yaml", toRunnerConfigYaml(runners), {
      [OAUTH_SECRET_ENV]: OAUTH_SECRET,
    });
    if (!loaded.desired) throw new Error(JSON.stringify(loaded.issues.slice(0, 3)));
    const current = await readCurrentState(client, [runners[0]?.id ?? ""]);
    const plan = buildPlan(loaded.desired, current.runners, PLAN_OPTIONS);
    expect(pendingOperations(plan)).toHaveLength(1000);

    const state = current.runners.get(runners[0]?.id ?? "");
    if (!state) throw new Error("no state read");
    const known = countingReads(state.environmentClasses);
    state.environmentClasses = known.items;
    expect(state.environmentClasses).toHaveLength(4000);
    const result = await applyPlan(client, plan, loaded.secrets, {
      concurrency: 16,
      before: current.runners,
    });
    expect(result.ok).toBe(true);
    expect(emu.requests.count("UpdateEnvironmentClass")).toBe(1000);
    // A copy of the known ids per operation would read 1,000 x 4,000 = 4,000,000 classes; a linear
    // apply reads the classes the runner had at most once.
    expect(known.reads()).toBeLessThanOrEqual(4000);
  }, 60_000);

  it("reports 3,000 items the server rejects without comparing each with every earlier issue", async () => {
    // The OAuth app of these hosts is not registered: the server rejects every integration.
    const runners = generateDesiredState({ runners: 1, classesPerRunner: 0, integrationsPerRunner: 3000 });
    for (const runner of runners) emu.state.addRunner({ id: runner.id, name: runner.name });
    const startsWith = vi.spyOn(String.prototype, "startsWith");
    const result = await runSync(client, {
      file: "bench.yaml",
      text: toRunnerConfigYaml(runners),
      env: { [OAUTH_SECRET_ENV]: OAUTH_SECRET },
      mode: "plan",
      concurrency: 16,
      ...PLAN_OPTIONS,
    });
    const comparisons = startsWith.mock.calls.length;
    startsWith.mockRestore();
    expect(result.ok).toBe(false);
    expect(emu.requests.count("ValidateRunnerConfiguration")).toBe(3000);
    const rejected = new Set(result.issues.map((issue) => issue.path.replace(/\.[^[\]]*$/, "")));
    expect(rejected.size).toBe(3000);
    // Searching all earlier issues per rejected item does about 3,000^2 / 2 = 4,500,000 comparisons.
    expect(comparisons).toBeLessThan(50 * 3000);
  }, 60_000);
});

describe("the plan's diff (benchmark scenario 4)", () => {
  /** One runner in sync with 4,000 classes and 1,000 integrations, plus one class added by hand. */
  async function syncedRunner() {
    const runners = generateDesiredState({ runners: 1, classesPerRunner: 4000, integrationsPerRunner: 1000 });
    prepareEmulator(emu, runners);
    seedSyncedState(emu, runners, 100);
    const runnerId = runners[0]?.id ?? "";
    const byHand = emu.state.seedEnvironmentClass({
      runnerId,
      displayName: "added by hand",
      description: "not in the file",
      configuration: [{ key: "instanceType", value: "m6i.large" }],
    });
    const loaded = loadRunnerConfig("bench.yaml", toRunnerConfigYaml(runners), {
      [OAUTH_SECRET_ENV]: OAUTH_SECRET,
    });
    if (!loaded.desired) throw new Error(JSON.stringify(loaded.issues.slice(0, 3)));
    const current = await readCurrentState(client, [runnerId]);
    const state = current.runners.get(runnerId);
    const runner = loaded.desired.runners[0];
    if (!state || !runner) throw new Error("no state read");
    return { desired: loaded.desired, runner, current, state, byHand };
  }

  it("lists unmanaged objects from the one diff per kind, not from a second diff with prune on", async () => {
    const { desired, runner, current, state, byHand } = await syncedRunner();
    const wanted = countingReads([...runner.environmentClasses]);
    (runner as { environmentClasses: unknown }).environmentClasses = wanted.items;
    const held = countingReads(state.environmentClasses);
    state.environmentClasses = held.items;

    const plan = buildPlan(desired, current.runners, PLAN_OPTIONS);
    expect(plan.runners[0]?.unmanaged).toEqual([
      { kind: "environmentClass", runnerId: runner.id, key: "added by hand", id: byHand.id },
    ]);
    expect(pendingOperations(plan)).toHaveLength(40);
    // One diff reads the file's 4,000 classes twice (its pin index, its loop) and the disabled-class
    // count once more: 12,000. Listing unmanaged objects through a second, pruning diff read 20,000.
    expect(wanted.reads()).toBeLessThanOrEqual(3 * 4000);
    // The runner's 4,001 classes: indexed by id and by name, the leftovers, the disabled-class count.
    expect(held.reads()).toBeLessThanOrEqual(4 * 4001);

    // With prune on, the same object is the operation that removes it, and nothing is listed.
    const pruned = buildPlan(desired, current.runners, { ...PLAN_OPTIONS, prune: true });
    expect(pruned.runners[0]?.unmanaged).toBeUndefined();
    expect(pruned.runners[0]?.operations.filter((operation) => operation.action === "disable")).toEqual([
      expect.objectContaining({ key: "added by hand", currentId: byHand.id }),
    ]);
  }, 60_000);

  it("gives every operation its line through one shared getter, not a closure each", async () => {
    const { desired, runner, current } = await syncedRunner();
    const plan = buildPlan(desired, current.runners, PLAN_OPTIONS);
    const operations = plan.runners[0]?.operations ?? [];
    expect(operations).toHaveLength(5000);
    // A closure per operation made each one a dictionary-mode object of ~650 bytes (V8 cannot share
    // a shape between objects whose accessors differ): 5,000 getters here, 50,000 at scenario 4's size.
    const getters = new Set(
      operations.map((operation) => Object.getOwnPropertyDescriptor(operation, "line")?.get),
    );
    expect(getters.size).toBe(1);
    // Still the item's line, read when asked, and still in the plan's JSON.
    const last = operations.at(-1);
    const item = runner.scmIntegrations.at(-1);
    expect(last?.key).toBe(`${item?.scmId}@${item?.host}`);
    expect(last?.line).toBe(item?.line);
    expect(JSON.parse(JSON.stringify(last))).toMatchObject({ line: item?.line });
    expect(Object.keys(last ?? {})).not.toContain("lineSource");
  }, 60_000);
});
