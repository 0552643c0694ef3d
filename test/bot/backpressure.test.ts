import { afterEach, describe, expect, it } from "vitest";
import { BUSY_TEXT } from "../../bot/server/in-flight-limit.js";
import { RUNNER_EU_ID } from "../emulator/index.js";
import { type Harness, startHarness } from "./harness.js";

describe("backpressure", () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it("answers 'busy' in the ack, with no Gitpod call, while the limit of follow-ups is in flight", async () => {
    h = await startHarness({ env: { BOT_MAX_IN_FLIGHT: "1" } });
    h.emu.faults.add({ kind: "latency", latencyMs: 400 });
    h.emu.state.seedScmIntegration({ runnerId: RUNNER_EU_ID, scmId: "github", host: "github.com" });

    const first = await h.command("list");
    const second = await h.command("list");
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ response_type: "ephemeral", text: BUSY_TEXT });

    await h.waitForResponse(first.responseUrlId);
    // The slot is free again: the next command is served.
    const third = await h.command("list");
    expect(third.json).toBeUndefined();
    await h.waitForResponse(third.responseUrlId);
    // Two commands were served; the refused one made no Gitpod call and got no follow-up.
    expect(h.emu.requests.count("ListSCMIntegrations")).toBe(2);
    expect(h.responses(second.responseUrlId)).toHaveLength(0);
  });
});
