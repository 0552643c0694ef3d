/**
 * A workflow cancelled during apply: the runner sends the step SIGINT (then SIGTERM). The real
 * bundled action process is signalled mid-apply. It must start no new writes, let those in flight
 * finish, and still write the job summary and outputs saying what was done and what was not. A
 * second signal stops the waiting: writes still in flight are reported as may or may not have happened.
 */
import type { ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { FAST_CLIENT_ENV, makeWorkspace, removeWorkspace, runAction } from "../action/run-action.js";
import { GITHUB_OAUTH_SECRET } from "../emulator/index.js";
import { configWith, useAbuseHarness } from "./harness.js";

const h = useAbuseHarness();
const CLASSES = Array.from(
  { length: 20 },
  (_, i) => `      - displayName: Class ${i}\n        configuration:\n          instanceType: m6i.large\n`,
).join("");

/** Runs apply; once `ready()` holds, sends the signals (with a pause between them). */
async function applyAndSignal(
  ready: () => boolean,
  signals: NodeJS.Signals[],
  env: Record<string, string> = {},
) {
  const workspace = await makeWorkspace(configWith(CLASSES));
  const sent: number[] = [];
  const signalWhenReady = async (child: ChildProcess) => {
    while (!ready()) await sleep(10);
    for (const signal of signals) {
      child.kill(signal);
      sent.push(Date.now());
      await sleep(100);
    }
  };
  try {
    const result = await runAction({
      workspace,
      inputs: { "api-token": h.emu.token, "api-url": h.emu.url, mode: "apply", concurrency: "2" },
      env: { GITHUB_OAUTH_CLIENT_SECRET: GITHUB_OAUTH_SECRET, ...FAST_CLIENT_ENV, ...env },
      onStart: (child) => void signalWhenReady(child),
    });
    return { result, exitedAfterLastSignalMs: Date.now() - (sent.at(-1) ?? Date.now()) };
  } finally {
    await removeWorkspace(workspace);
  }
}

const classCount = () => h.emu.state.environmentClasses.size;

describe("SIGINT during apply", () => {
  it("finishes the writes in flight, starts no more, and reports done and not started", async () => {
    h.emu.faults.add({ kind: "latency", latencyMs: 400, rpc: "CreateEnvironmentClass" });
    const { result } = await applyAndSignal(() => classCount() >= 2, ["SIGINT"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Received SIGINT: no new writes will start");
    await sleep(600);
    const created = classCount();
    // Two in flight at the signal may finish; nothing else starts.
    expect(created).toBeGreaterThanOrEqual(2);
    expect(created).toBeLessThanOrEqual(6);
    const done = (result.summary.match(/✅ done \| create \| environment class/g) ?? []).length;
    const notStarted = (result.summary.match(/⏸️ not-started \| create \| environment class/g) ?? []).length;
    // The summary matches what the API holds, and accounts for every planned class.
    expect(done).toBe(created);
    expect(done + notStarted).toBe(20);
    // 21 operations: the 20 classes and the file's SCM integration.
    expect(result.outputs.summary).toMatch(
      /^Apply failed: \d+ of 21 change\(s\) done\. \d+ not started: the run was cancelled\.$/,
    );
    expect(result.outputs.changed).toBe("true");
    expect(result.stdout).toMatch(/::error::.*cancelled/);
  });

  it("a second signal stops waiting: writes in flight are reported as may or may not have happened", async () => {
    h.emu.faults.add({ kind: "hang", rpc: "CreateEnvironmentClass", after: true });
    const { result, exitedAfterLastSignalMs } = await applyAndSignal(
      () => classCount() >= 2,
      ["SIGINT", "SIGTERM"],
      { GITPOD_CLIENT_TIMEOUT_MS: "60000" },
    );
    expect(result.code).toBe(1);
    expect(exitedAfterLastSignalMs).toBeLessThan(5000);
    expect(result.stdout).toContain("Received SIGTERM again: not waiting for writes in flight");
    const unknown = (result.summary.match(/❓ unknown \| create \| environment class/g) ?? []).length;
    const notStarted = (result.summary.match(/⏸️ not-started \| create \| environment class/g) ?? []).length;
    expect(unknown).toBe(2);
    expect(notStarted).toBe(18);
    expect(result.summary).toContain(
      "still in flight when the run was stopped; it may or may not have happened",
    );
    expect(result.outputs.summary).toContain("2 of them may or may not have happened");
  });
});
