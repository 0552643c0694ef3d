/**
 * `list` in a busy workspace: concurrent lists share one read of each runner's host tokens, a list
 * right after reuses it, and a failed read is not kept (the next list reads again).
 *
 * The assertions count requests at the emulator, so no request may be retried for being slow: the
 * harness's client gives up on a request after 2 s and sends it again, and under heavy parallel load
 * one page can take that long (the abandoned request is logged when the emulator finishes it, so the
 * count came out one too high now and then). Here the client waits as long as the test may run, and
 * the answers are awaited as long too.
 */
import { afterEach, describe, expect, it } from "vitest";
import { HOST_TOKEN_CACHE_MS } from "../../bot/gitpod/host-token-cache.js";
import { RUNNER_EU_ID, RUNNER_US_ID } from "../emulator/index.js";
import { type Harness, startHarness } from "./harness.js";

/** As long as vitest lets a test run (vitest.config.ts): a slow request is waited for, not retried. */
const PATIENT_MS = 30_000;

describe("list and host tokens", () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  function seed() {
    for (const runnerId of [RUNNER_EU_ID, RUNNER_US_ID]) {
      const integration = h.emu.state.seedScmIntegration({ runnerId, scmId: "github", host: "github.com" });
      for (let n = 0; n < 250; n++) {
        h.emu.state.seedHostToken({
          runnerId,
          host: "github.com",
          integrationId: integration.id,
          userId: `user-${n}`,
        });
      }
    }
  }

  const answer = (responseUrlId: string) => h.waitForResponse(responseUrlId, undefined, PATIENT_MS);

  it("reads each runner's tokens once for concurrent lists and for a list right after", async () => {
    h = await startHarness({ gitpodTimeoutMs: PATIENT_MS });
    seed();
    h.emu.faults.add({ kind: "latency", latencyMs: 100 });
    const acks = await Promise.all([h.command("list"), h.command("list"), h.command("list")]);
    const answers = await Promise.all(acks.map((ack) => answer(ack.responseUrlId)));
    for (const one of answers) expect(JSON.stringify(one.args)).toContain("Host tokens: 250");
    // 250 tokens = 3 pages per runner, read once for all three commands.
    expect(h.emu.requests.count("ListHostAuthenticationTokens")).toBe(6);
    const firstReadAt = h.emu.requests.all("ListHostAuthenticationTokens")[0]?.at ?? 0;
    const again = await h.command("list");
    await answer(again.responseUrlId);
    // "Right after" means within the cache's lifetime; say so if load stretched the run past it.
    expect(Date.now() - firstReadAt, "the second list came after the cache expired").toBeLessThan(
      HOST_TOKEN_CACHE_MS,
    );
    expect(h.emu.requests.count("ListHostAuthenticationTokens")).toBe(6);
    expect(h.emu.requests.count("ListSCMIntegrations")).toBe(4);
  });

  it("does not keep a failed read: the next list reads the tokens again", async () => {
    h = await startHarness({ gitpodTimeoutMs: PATIENT_MS });
    seed();
    h.emu.faults.add({ kind: "status", status: 500, rpc: "ListHostAuthenticationTokens", times: 1000 });
    const first = await h.command("list");
    const failed = await answer(first.responseUrlId);
    expect(JSON.stringify(failed.args)).not.toContain("Host tokens: 250");
    expect(JSON.stringify(failed.args)).toContain("Host tokens: could not be listed");
    h.emu.faults.clear();
    const failedReads = h.emu.requests.count("ListHostAuthenticationTokens");
    const second = await h.command("list");
    const fresh = await answer(second.responseUrlId);
    expect(JSON.stringify(fresh.args)).toContain("Host tokens: 250");
    expect(h.emu.requests.count("ListHostAuthenticationTokens")).toBe(failedReads + 6);
  });
});
