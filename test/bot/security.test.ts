import { beforeAll, describe, expect, it } from "vitest";
import { RUNNER_EU_ID } from "../emulator/index.js";
import { signedHeaders } from "../support/slack-signing.js";
import { BOT_TOKEN, SIGNING_SECRET, useHarness } from "./harness.js";

describe("request verification and health", () => {
  const h = useHarness({ perSuite: true });
  beforeAll(() => {
    h.emu.state.seedScmIntegration({ runnerId: RUNNER_EU_ID, scmId: "github", host: "github.com" });
  });

  const commandBody = (text: string) => h.commandBody(text, "forged");

  /** The response_url ids of the barrier commands (harness.afterNextCommand). */
  const barriers = new Set<string>();
  const afterTheNextCommand = async () => {
    barriers.add(await h.afterNextCommand());
  };

  function handlerRan(): boolean {
    const commandsLogged = h.logs.filter((line) => line.includes('"event":"command"')).length;
    return (
      h.emu.requests.count() + h.emu.requests.answering > 0 ||
      h.slack.calls.some(
        (call) =>
          call.method !== "auth.test" &&
          !(call.method === "response_url" && barriers.has(call.responseUrlId ?? "")),
      ) ||
      commandsLogged > barriers.size
    );
  }

  it("answers 401 to a bad signature and runs no handler", async () => {
    const body = commandBody("list");
    const result = await h.post(body, signedHeaders("not-the-signing-secret", body));
    expect(result.status).toBe(401);
    const unsigned = await h.post(body, {});
    expect(unsigned.status).toBe(401);
    await afterTheNextCommand();
    expect(handlerRan()).toBe(false);
  });

  it("answers 401 to a correctly signed request older than five minutes", async () => {
    const body = commandBody("list");
    const result = await h.post(body, signedHeaders(SIGNING_SECRET, body, Date.now() - 6 * 60 * 1000));
    expect(result.status).toBe(401);
    await afterTheNextCommand();
    expect(handlerRan()).toBe(false);
  });

  it("acks a signed command quickly and answers /healthz", async () => {
    const ack = await h.command("help");
    expect(ack.status).toBe(200);
    expect(ack.ackMs).toBeLessThan(1000);
    const health = await fetch(`${h.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, store: "ok", storeKind: "sqlite", slack: "ok" });
  });

  it("keeps its own tokens out of every log line", () => {
    const logs = h.logs.join("\n");
    expect(logs).not.toContain(BOT_TOKEN);
    expect(logs).not.toContain(SIGNING_SECRET);
    expect(logs).not.toContain(h.emu.token);
  });
});
