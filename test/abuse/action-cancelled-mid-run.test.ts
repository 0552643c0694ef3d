/**
 * A workflow cancelled during apply: the runner sends the step SIGINT (then SIGTERM). The real
 * bundled action process is signalled mid-apply. It must start no new writes, let those in flight
 * finish, and still write the job summary and outputs saying what was done and what was not. A
 * second signal stops the waiting: writes still in flight are reported as may or may not have happened.
 */
import type { ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import {
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  GITLAB_OAUTH_CLIENT_ID,
  GITLAB_OAUTH_SECRET,
  RUNNER_EU_ID,
  RUNNER_US_ID,
} from "../emulator/index.js";
import { sampleConfig } from "../support/fixtures.js";
import { FAST_CLIENT_ENV, makeWorkspace, removeWorkspace, runAction } from "../support/run-action.js";
import { waitUntil } from "../support/wait.js";
import { useAbuseHarness } from "./harness.js";

const h = useAbuseHarness();
const CLASSES = Array.from(
  { length: 20 },
  // With a description: the service's rules refuse a class created without one (docs/emulator.md).
  (_, i) =>
    `      - displayName: Class ${i}\n        description: Class number ${i}\n        configuration:\n          instanceType: m6i.large\n`,
).join("");

/** Runs apply with 20 new classes; see runAndSignal. */
function applyAndSignal(ready: () => boolean, signals: NodeJS.Signals[], env: Record<string, string> = {}) {
  return runAndSignal(sampleConfig(CLASSES), { mode: "apply", concurrency: "2" }, ready, signals, {
    OAUTH_SECRET_GITHUB_COM: GITHUB_OAUTH_SECRET,
    ...env,
  });
}

/** Runs the bundled action; once `ready()` holds, sends the signals (with a pause between them). */
async function runAndSignal(
  config: string,
  inputs: Record<string, string>,
  ready: () => boolean,
  signals: NodeJS.Signals[],
  env: Record<string, string>,
) {
  const workspace = await makeWorkspace(config);
  const sent: number[] = [];
  const signalWhenReady = async (child: ChildProcess) => {
    await waitUntil(ready, { what: "the run to be mid-apply", intervalMs: 10 });
    for (const signal of signals) {
      child.kill(signal);
      sent.push(Date.now());
      // Part of the scenario: a person pressing Cancel twice, not at the same instant.
      await sleep(100);
    }
  };
  try {
    // The workspace is removed after the exit is timed, so that removing it does not count.
    const result = await runAction({
      workspace,
      api: h.emu,
      inputs,
      env: { ...FAST_CLIENT_ENV, ...env },
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
    // Creates still in flight when it exited would land now: wait until the emulator answered all.
    await waitUntil(() => h.emu.idle(), { what: "the emulator to answer every request of the run" });
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

describe("SIGINT during a scheduled rotation", () => {
  it("finishes the rotation in flight and starts no other; the report says which were not started", async () => {
    const hosts: Array<[string, string, string, string]> = [
      [RUNNER_EU_ID, "github", "github.com", GITHUB_OAUTH_CLIENT_ID],
      [RUNNER_EU_ID, "gitlab", "gitlab.com", GITLAB_OAUTH_CLIENT_ID],
      [RUNNER_US_ID, "github", "github.com", GITHUB_OAUTH_CLIENT_ID],
      [RUNNER_US_ID, "gitlab", "gitlab.com", GITLAB_OAUTH_CLIENT_ID],
    ];
    for (const [runnerId, scmId, host, oauthClientId] of hosts) {
      h.emu.state.seedScmIntegration({
        runnerId,
        scmId,
        host,
        oauthClientId,
        oauthClientSecret: scmId === "github" ? GITHUB_OAUTH_SECRET : GITLAB_OAUTH_SECRET,
      });
    }
    const integrations = (scmId: string, host: string, clientId: string, variable: string) =>
      `      - scmId: ${scmId}\n        host: ${host}\n        oauth:\n          clientId: ${clientId}\n          clientSecret: \${${variable}}\n`;
    const runner = (id: string, name: string) =>
      `  - id: ${id}\n    name: ${name}\n    scmIntegrations:\n${integrations("github", "github.com", GITHUB_OAUTH_CLIENT_ID, "GH_SECRET")}${integrations("gitlab", "gitlab.com", GITLAB_OAUTH_CLIENT_ID, "GL_SECRET")}`;
    const config = `version: 1\nrunners:\n${runner(RUNNER_EU_ID, "aws-eu")}${runner(RUNNER_US_ID, "aws-us")}`;
    h.emu.faults.add({ kind: "latency", latencyMs: 500, rpc: "UpdateSCMIntegration" });
    const { result } = await runAndSignal(
      config,
      { mode: "rotate", concurrency: "1" },
      () => h.emu.requests.count("ValidateRunnerConfiguration") >= 1,
      ["SIGINT"],
      { GH_SECRET: GITHUB_OAUTH_SECRET, GL_SECRET: GITLAB_OAUTH_SECRET },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Received SIGINT: no new writes will start");
    const report = JSON.parse(result.outputs.report ?? "{}") as {
      items: Array<{ status: string; reason?: string }>;
    };
    expect(report.items).toHaveLength(4);
    const notStarted = report.items.filter((item) =>
      item.reason?.startsWith("Not started: the run was cancelled"),
    );
    expect(notStarted.length).toBeGreaterThanOrEqual(2);
    expect(notStarted.every((item) => item.status === "refused")).toBe(true);
    // Every other rotation ran to its end: rotated, not cut off half way.
    const ran = report.items.filter((item) => !notStarted.includes(item));
    expect(ran.length).toBeGreaterThanOrEqual(1);
    expect(ran.every((item) => item.status === "rotated")).toBe(true);
    expect(h.emu.requests.count("UpdateSCMIntegration")).toBe(ran.length);
    expect(result.summary).toContain("Not started: the run was cancelled");
  });
});
