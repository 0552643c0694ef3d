import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitpodClient } from "../../shared/api/index.js";
import { KeyedLock } from "../../shared/rotation/lock.js";
import { rotateScmCredentials } from "../../shared/rotation/protocol.js";
import type { RotationResult } from "../../shared/rotation/types.js";
import {
  type Emulator,
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  startEmulator,
} from "../emulator/index.js";
import { seedGitHubIntegration } from "../support/fixtures.js";

const CANARY = "canary-rotation-secret-51c2e0";

let emu: Emulator;
let client: GitpodClient;
let integrationId: string;

beforeEach(async () => {
  emu = await startEmulator();
  client = new GitpodClient({ baseUrl: emu.url, apiKey: emu.token, maxRetries: 0, timeoutMs: 2000 });
  integrationId = seedGitHubIntegration(emu.state).id;
  emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [GITHUB_OAUTH_SECRET, CANARY]);
});

afterEach(async () => {
  await client.close();
  await emu.close();
});

function statuses(result: RotationResult): string[] {
  return result.steps.map((step) => `${step.step}:${step.status}`);
}

function storedCiphertext(): string | undefined {
  return emu.state.findScmIntegrationByHost(RUNNER_EU_ID, "github.com")?.oauth?.encryptedClientSecret;
}

describe("rotateScmCredentials", () => {
  it("tests, updates, reads back and validates; the stored secret decrypts to the new one", async () => {
    const result = await rotateScmCredentials(client, { integrationId, clientSecret: CANARY });
    expect(result.outcome).toBe("rotated");
    expect(result.changed).toBe(true);
    expect(statuses(result)).toEqual(["read:ok", "test:ok", "update:ok", "verify:ok"]);
    expect(result).toMatchObject({
      host: "github.com",
      scmId: "github",
      runnerId: RUNNER_EU_ID,
      clientId: GITHUB_OAUTH_CLIENT_ID,
    });
    expect(emu.state.decryptClientSecret(integrationId)).toBe(CANARY);
    expect(JSON.stringify(result)).not.toContain(CANARY);
  });

  it("stops before changing anything when the new secret is refused", async () => {
    const before = storedCiphertext();
    const result = await rotateScmCredentials(client, {
      integrationId,
      clientSecret: "not-the-right-secret",
    });
    expect(result.outcome).toBe("rejected");
    expect(result.changed).toBe(false);
    expect(statuses(result)).toEqual(["read:ok", "test:failed", "update:skipped", "verify:skipped"]);
    expect(result.newCredentials?.problems.map((problem) => problem.field)).toEqual(["oauthError"]);
    expect(result.summary).toMatch(
      /^The new credentials were refused: OAuth client id and secret: .+ Nothing was changed\.$/,
    );
    expect(emu.requests.count("UpdateSCMIntegration")).toBe(0);
    expect(storedCiphertext()).toBe(before);
  });

  it("dry run tests the new secret and changes nothing", async () => {
    const result = await rotateScmCredentials(
      client,
      { integrationId, clientSecret: CANARY },
      { dryRun: true },
    );
    expect(result.outcome).toBe("dry-run");
    expect(statuses(result)).toEqual(["read:ok", "test:ok", "update:skipped", "verify:skipped"]);
    expect(emu.requests.count("UpdateSCMIntegration")).toBe(0);
    expect(emu.state.decryptClientSecret(integrationId)).toBe(GITHUB_OAUTH_SECRET);
  });

  it("reports 'updated but not verified' loudly when the verification fails", async () => {
    emu.faults.add({ kind: "status", status: 500, rpc: "ValidateRunnerConfiguration", nth: 2 });
    const result = await rotateScmCredentials(client, { integrationId, clientSecret: CANARY });
    expect(result.outcome).toBe("unverified");
    expect(result.changed).toBe(true);
    expect(statuses(result)).toEqual(["read:ok", "test:ok", "update:ok", "verify:failed"]);
    expect(result.summary).toMatch(/^UPDATED BUT NOT VERIFIED: /);
    expect(emu.state.decryptClientSecret(integrationId)).toBe(CANARY);
  });

  it("looks before judging when the update call fails after taking effect", async () => {
    emu.faults.add({ kind: "status", status: 503, rpc: "UpdateSCMIntegration", after: true });
    const result = await rotateScmCredentials(client, { integrationId, clientSecret: CANARY });
    expect(result.outcome).toBe("rotated");
    expect(result.steps[2]?.detail).toContain("the read-back shows the new secret stored");
  });

  it("says nothing changed when the update failed and the read-back shows the old secret", async () => {
    emu.faults.add({ kind: "status", status: 503, rpc: "UpdateSCMIntegration" });
    const before = storedCiphertext();
    const result = await rotateScmCredentials(client, { integrationId, clientSecret: CANARY });
    expect(result.outcome).toBe("failed");
    expect(result.changed).toBe(false);
    expect(storedCiphertext()).toBe(before);
  });

  it("says the outcome is unknown when neither the update nor the read-back answered", async () => {
    emu.faults.add({ kind: "status", status: 503, rpc: "UpdateSCMIntegration", after: true });
    emu.faults.add({ kind: "status", status: 503, rpc: "GetSCMIntegration", nth: 2, times: 5 });
    const result = await rotateScmCredentials(client, { integrationId, clientSecret: CANARY });
    expect(result.outcome).toBe("unknown");
    expect(result.changed).toBe("unknown");
  });

  it("fails in words for a missing integration", async () => {
    const result = await rotateScmCredentials(client, {
      integrationId: "11111111-2222-4333-8444-555555555555",
      clientSecret: CANARY,
    });
    expect(result.outcome).toBe("failed");
    expect(result.steps[0]?.detail).toContain("not found");
  });

  it("serialises rotations of the same integration; the second one waits", async () => {
    emu.faults.add({ kind: "latency", latencyMs: 30 });
    const second = `${CANARY}-b`;
    emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [GITHUB_OAUTH_SECRET, CANARY, second]);
    const lock = new KeyedLock();
    const [a, b] = await Promise.all([
      rotateScmCredentials(client, { integrationId, clientSecret: CANARY }, { lock }),
      rotateScmCredentials(client, { integrationId, clientSecret: second }, { lock }),
    ]);
    expect(a.outcome).toBe("rotated");
    expect(b.outcome).toBe("rotated");
    expect(b.waitedMs).toBeGreaterThan(50);
    expect(Date.parse(b.startedAt)).toBeGreaterThanOrEqual(Date.parse(a.finishedAt));
    expect(emu.state.decryptClientSecret(integrationId)).toBe(second);
  });
});

describe("KeyedLock", () => {
  it("runs tasks of one key in order and tasks of different keys together", async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const task = (name: string, ms: number) => async () => {
      events.push(`start ${name}`);
      // The task's own duration, so that tasks overlap.
      await new Promise((resolve) => setTimeout(resolve, ms));
      events.push(`end ${name}`);
    };
    await Promise.all([
      lock.run("a", task("a1", 20)),
      lock.run("a", task("a2", 1)),
      lock.run("b", task("b1", 1)),
    ]);
    expect(events.indexOf("end a1")).toBeLessThan(events.indexOf("start a2"));
    expect(events.indexOf("start b1")).toBeLessThan(events.indexOf("end a1"));
    expect(lock.pending("a")).toBe(0);
  });

  it("keeps going after a failed task", async () => {
    const lock = new KeyedLock();
    await expect(lock.run("a", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(lock.run("a", async () => "next")).resolves.toBe("next");
  });
});
