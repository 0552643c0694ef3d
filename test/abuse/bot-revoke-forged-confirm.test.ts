/**
 * The revoke confirm button's value is whatever the request carries: an insider who can send signed
 * requests (or alters the button) adds a token of a runner the bot does not manage and 60 made-up
 * ids, or replays the confirmation. The previewed ids are kept by the bot: a forged value deletes
 * nothing and is audited, a confirmation deletes only its previewed tokens that are still the
 * managed runners', and it works once. The bot as a process over signed HTTP.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotProcess, clickButton, sendCommand, startBotProcess } from "../bot/bot-process.js";
import { BOT_TOKEN } from "../bot/harness.js";
import { type Emulator, RUNNER_EU_ID, RUNNER_US_ID, startEmulator } from "../emulator/index.js";
import { type FakeSlack, type RecordedCall, startFakeSlack } from "../fakes/slack-api.js";
import { seedUserHostToken } from "../support/fixtures.js";

const ADMIN = "U0ADMIN";
const AUDIT = "C0AUDIT";
const ALICE = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
const BOB = "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a";
const CAROL = "3e4f5a6b-7c8d-4e9f-8a0b-2c3d4e5f6a7b";

let emu: Emulator | undefined;
let slack: FakeSlack | undefined;
let bot: BotProcess | undefined;

beforeAll(async () => {
  emu = await startEmulator();
  slack = await startFakeSlack();
  bot = await startBotProcess({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    GITPOD_API_KEY: emu.token,
    GITPOD_BASE_URL: emu.url,
    // Only aws-eu is the bot's: aws-us's tokens are not its to delete.
    GITPOD_RUNNER_IDS: RUNNER_EU_ID,
    SLACK_ROTATE_USER_IDS: ADMIN,
    SLACK_AUDIT_CHANNEL_ID: AUDIT,
    DATABASE_URL: "sqlite::memory:",
  });
}, 60_000);
afterAll(async () => {
  bot?.child.kill("SIGKILL");
  await bot?.exited();
  await slack?.close();
  await emu?.close();
});

function confirmValue(call: RecordedCall): string {
  const blocks =
    (call.args.blocks as Array<{ type: string; elements?: Array<Record<string, string>> }>) ?? [];
  const button = blocks
    .flatMap((block) => (block.type === "actions" ? (block.elements ?? []) : []))
    .find((element) => element.action_id === "revoke_confirm");
  return button?.value ?? "";
}

async function answer(responseUrlId: string): Promise<string> {
  const call = await (slack as FakeSlack).waitFor((entry) => entry.responseUrlId === responseUrlId, 15_000);
  return JSON.stringify(call.args);
}

async function auditPost(containing: string): Promise<string> {
  const call = await (slack as FakeSlack).waitFor(
    (entry) =>
      entry.method === "chat.postMessage" &&
      entry.args.channel === AUDIT &&
      JSON.stringify(entry.args).includes(containing),
    15_000,
  );
  return JSON.stringify(call.args);
}

describe("revoke's confirm button deletes only what its preview showed, once", () => {
  it("a value with an unmanaged runner's token and 60 made-up ids deletes nothing; the real one deletes its two, once", async () => {
    const e = emu as Emulator;
    const s = slack as FakeSlack;
    const b = bot as BotProcess;
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
    const real = confirmValue(preview);
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
    expect(await answer(forgedPress.responseUrlId)).toContain("not one of the bot's revoke confirmations");
    expect(await auditPost("not a preview id")).toContain("refused");
    // A well-formed id of no preview.
    const unknown = await clickButton(b, s, { user: ADMIN, actionId: "revoke_confirm", value: randomUUID() });
    expect(await answer(unknown.responseUrlId)).toContain("unknown");
    await auditPost("unknown preview");
    expect(e.requests.count("DeleteHostAuthenticationToken")).toBe(0);
    expect(remaining()).toContain(unmanaged.id);

    const pressed = await clickButton(b, s, { user: ADMIN, actionId: "revoke_confirm", value: real });
    expect(await answer(pressed.responseUrlId)).toContain("2 deleted, 0 already gone");
    expect(e.requests.count("DeleteHostAuthenticationToken")).toBe(2);
    expect(remaining()).toEqual([unmanaged.id]);

    // The same confirmation again (a replay): refused in words, audited, nothing sent.
    const replay = await clickButton(b, s, { user: ADMIN, actionId: "revoke_confirm", value: real });
    expect(await answer(replay.responseUrlId)).toContain("already used");
    await auditPost("already used");
    expect(e.requests.count("DeleteHostAuthenticationToken")).toBe(2);
    expect(remaining()).toEqual([unmanaged.id]);
    expect(s.everything()).not.toMatch(/canary-/);
  });
});
