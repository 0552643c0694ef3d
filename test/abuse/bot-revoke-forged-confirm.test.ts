/**
 * The revoke confirm button's value is whatever the request carries: an insider who can send signed
 * requests (or alters the button) adds a token of a runner the bot does not manage and 60 made-up
 * ids, or replays the confirmation. The previewed ids are kept by the bot: a forged value deletes
 * nothing and is audited, a confirmation deletes only its previewed tokens that are still the
 * managed runners', and it works once. The bot as a process over signed HTTP.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  answerTo,
  auditPost,
  type BotWithFakes,
  clickButton,
  sendCommand,
  startBotWithFakes,
} from "../bot/bot-process.js";
import { ADMIN, buttonValue } from "../bot/harness.js";
import { RUNNER_EU_ID, RUNNER_US_ID } from "../emulator/index.js";
import { seedUserHostToken } from "../support/fixtures.js";

const ALICE = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
const BOB = "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a";
const CAROL = "3e4f5a6b-7c8d-4e9f-8a0b-2c3d4e5f6a7b";

// Only aws-eu is the bot's (the helper's default): aws-us's tokens are not its to delete.
let running: BotWithFakes | undefined;

beforeAll(async () => {
  running = await startBotWithFakes();
}, 60_000);
afterAll(async () => {
  await running?.close();
});

describe("revoke's confirm button deletes only what its preview showed, once", () => {
  it("a value with an unmanaged runner's token and 60 made-up ids deletes nothing; the real one deletes its two, once", async () => {
    const { emu: e, slack: s, bot: b } = running as BotWithFakes;
    const alice = seedUserHostToken(e.state, { user: ALICE, runnerId: RUNNER_EU_ID, token: "canary-a-1" });
    const bobs = seedUserHostToken(e.state, { user: BOB, runnerId: RUNNER_EU_ID, token: "canary-b-2" });
    const unmanaged = seedUserHostToken(e.state, {
      user: CAROL,
      runnerId: RUNNER_US_ID,
      token: "canary-c-3",
    });
    const remaining = () => [...e.state.hostTokens.values()].map((token) => token.id);

    const asked = await sendCommand(b, s, "revoke github.com all-users", ADMIN);
    const preview = await s.waitFor(
      (call) => call.responseUrlId === asked.responseUrlId && JSON.stringify(call.args).includes("Revoke"),
      15_000,
    );
    expect(JSON.stringify(preview.args)).toContain("Revoke 2 host authentication tokens");
    const real = buttonValue(preview, "revoke_confirm");
    expect(real).not.toBe("");
    e.requests.clear();

    // The old button format, with the unmanaged token and 60 made-up ids added.
    const forged = JSON.stringify({
      requester: ADMIN,
      host: "github.com",
      selector: "all users",
      ids: [alice.id, bobs.id, unmanaged.id, ...Array.from({ length: 60 }, () => randomUUID())],
    });
    const forgedPress = await clickButton(b, s, { user: ADMIN, actionId: "revoke_confirm", value: forged });
    expect(forgedPress.status).toBe(200);
    expect(await answerTo(s, forgedPress.responseUrlId)).toContain(
      "not one of the bot's revoke confirmations",
    );
    expect(await auditPost(s, "not a preview id")).toContain("refused");
    // A well-formed id of no preview.
    const unknown = await clickButton(b, s, { user: ADMIN, actionId: "revoke_confirm", value: randomUUID() });
    expect(await answerTo(s, unknown.responseUrlId)).toContain("unknown");
    await auditPost(s, "unknown preview");
    expect(e.requests.count("DeleteHostAuthenticationToken")).toBe(0);
    expect(remaining()).toContain(unmanaged.id);

    const pressed = await clickButton(b, s, { user: ADMIN, actionId: "revoke_confirm", value: real });
    expect(await answerTo(s, pressed.responseUrlId)).toContain("2 deleted, 0 already gone");
    expect(e.requests.count("DeleteHostAuthenticationToken")).toBe(2);
    expect(remaining()).toEqual([unmanaged.id]);

    // The same confirmation again (a replay): refused in words, audited, nothing sent.
    const replay = await clickButton(b, s, { user: ADMIN, actionId: "revoke_confirm", value: real });
    expect(await answerTo(s, replay.responseUrlId)).toContain("already used");
    await auditPost(s, "already used");
    expect(e.requests.count("DeleteHostAuthenticationToken")).toBe(2);
    expect(remaining()).toEqual([unmanaged.id]);
    expect(s.everything()).not.toMatch(/canary-/);
  });
});
