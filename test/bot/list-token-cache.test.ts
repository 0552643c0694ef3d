/**
 * `list` in a busy workspace: concurrent lists share one read of each runner's host tokens, a list
 * right after reuses it, and a failed read is not kept (the next list reads again).
 */
import { afterEach, describe, expect, it } from "vitest";
import { RUNNER_EU_ID, RUNNER_US_ID } from "../emulator/index.js";
import { type Harness, startHarness } from "./harness.js";

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

  it("reads each runner's tokens once for concurrent lists and for a list right after", async () => {
    h = await startHarness();
    seed();
    h.emu.faults.add({ kind: "latency", latencyMs: 100 });
    const acks = await Promise.all([h.command("list"), h.command("list"), h.command("list")]);
    const answers = await Promise.all(acks.map((ack) => h.waitForResponse(ack.responseUrlId)));
    for (const answer of answers) expect(JSON.stringify(answer.args)).toContain("250");
    // 250 tokens = 3 pages per runner, read once for all three commands.
    expect(h.emu.requests.count("ListHostAuthenticationTokens")).toBe(6);
    const again = await h.command("list");
    await h.waitForResponse(again.responseUrlId);
    expect(h.emu.requests.count("ListHostAuthenticationTokens")).toBe(6);
    expect(h.emu.requests.count("ListSCMIntegrations")).toBe(4);
  });

  it("does not keep a failed read: the next list reads the tokens again", async () => {
    h = await startHarness();
    seed();
    h.emu.faults.add({ kind: "status", status: 500, rpc: "ListHostAuthenticationTokens", times: 1000 });
    const first = await h.command("list");
    const failed = await h.waitForResponse(first.responseUrlId);
    expect(JSON.stringify(failed.args)).not.toContain("250");
    h.emu.faults.clear();
    const failedReads = h.emu.requests.count("ListHostAuthenticationTokens");
    const second = await h.command("list");
    const answer = await h.waitForResponse(second.responseUrlId);
    expect(JSON.stringify(answer.args)).toContain("250");
    expect(h.emu.requests.count("ListHostAuthenticationTokens")).toBe(failedReads + 6);
  });
});
