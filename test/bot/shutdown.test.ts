/**
 * SIGTERM while a rotation runs: the bot stops taking commands ("restarting"), reports not ready,
 * lets the rotation finish within the grace period, and exits 0. Past the grace period the
 * rotation is journaled as interrupted and the next bot resolves it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../bot/state/open.js";
import type { BotStore, JournalEntry } from "../../bot/state/store.js";
import type { FaultRule } from "../emulator/faults.js";
import {
  type Emulator,
  GITHUB_OAUTH_CLIENT_ID,
  GITHUB_OAUTH_SECRET,
  RUNNER_EU_ID,
  startEmulator,
} from "../emulator/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { seedGitHubIntegration } from "../support/fixtures.js";
import { waitUntil } from "../support/wait.js";
import {
  type BotProcess,
  openRotateForm,
  sendCommand,
  startBotProcess,
  submitRotateForm,
} from "./bot-process.js";
import { ADMIN, BOT_TOKEN } from "./harness.js";

const AUDIT = "C0AUDIT";
const NEW_SECRET = "canary-shutdown-secret-2b3c4d";

let emu: Emulator | undefined;
let slack: FakeSlack | undefined;
let store: BotStore | undefined;
const bots: BotProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const bot of bots.splice(0)) {
    if (bot.child.exitCode === null) bot.child.kill("SIGKILL");
    await bot.exited();
  }
  await store?.close();
  store = undefined;
  await emu?.close();
  await slack?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function setUp(graceMs: number, fault: FaultRule) {
  const dir = mkdtempSync(join(tmpdir(), "bot-shutdown-"));
  dirs.push(dir);
  emu = await startEmulator();
  slack = await startFakeSlack();
  const integration = seedGitHubIntegration(emu.state);
  emu.state.setOAuthAppSecrets("github.com", GITHUB_OAUTH_CLIENT_ID, [GITHUB_OAUTH_SECRET, NEW_SECRET]);
  const env = {
    DATABASE_URL: `sqlite:${join(dir, "bot.sqlite")}`,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    GITPOD_API_KEY: emu.token,
    GITPOD_BASE_URL: emu.url,
    GITPOD_RUNNER_IDS: RUNNER_EU_ID,
    SLACK_ROTATE_USER_IDS: ADMIN,
    SLACK_AUDIT_CHANNEL_ID: AUDIT,
    BOT_SHUTDOWN_GRACE_MS: String(graceMs),
    BOT_LEASE_TTL_MS: "1000",
    GITPOD_TIMEOUT_MS: "120000",
  };
  const bot = await startBotProcess(env);
  bots.push(bot);
  const opened = await openRotateForm(bot, slack, integration.id, ADMIN);
  emu.faults.add(fault);
  await submitRotateForm(bot, opened.form, opened.viewId, ADMIN, NEW_SECRET);
  store = (await openStore({ kind: "sqlite", path: join(dir, "bot.sqlite") })).store;
  const open = store;
  const entry = await waitUntil<JournalEntry>(async () => {
    const [unfinished] = await open.abandonedRotations(Date.now() + 3_600_000);
    return unfinished?.phase === "updating" || unfinished?.phase === "updated" ? unfinished : undefined;
  });
  return { bot, env, entry, integration, responseUrlId: opened.responseUrlId, store: open };
}

describe("SIGTERM", () => {
  it("refuses new commands, is not ready, lets the running rotation finish, then exits 0", async () => {
    const { bot, entry, integration, responseUrlId, store } = await setUp(20_000, {
      kind: "latency",
      rpc: "UpdateSCMIntegration",
      latencyMs: 1500,
    });
    // The bot's start-up token check listed integrations once; the refused command must list none.
    const listsBefore = emu?.requests.count("ListSCMIntegrations");
    bot.child.kill("SIGTERM");
    await waitUntil(async () => (bot.events().some((line) => line.event === "draining") ? true : undefined));

    const refused = await sendCommand(bot, slack as FakeSlack, "list", ADMIN);
    expect(refused.status).toBe(200);
    expect(JSON.parse(refused.body)).toEqual({
      response_type: "ephemeral",
      text: "The bot is restarting; please try again in a minute.",
    });
    const ready = await fetch(`${bot.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, draining: true });

    expect(await bot.exited()).toBe(0);
    expect(emu?.state.decryptClientSecret(integration.id)).toBe(NEW_SECRET);
    const told = (slack as FakeSlack).calls.filter(
      (call) => call.responseUrlId === responseUrlId && String(call.args.text).includes("Rotated"),
    );
    expect(told).toHaveLength(1);
    expect(await store.getRotation(entry.id)).toMatchObject({ outcome: "rotated" });
    expect(bot.events().find((line) => line.event === "stopped")).toMatchObject({ interrupted: 0 });
    expect(emu?.requests.count("ListSCMIntegrations")).toBe(listsBefore);
  }, 60_000);

  it("journals a rotation still running after the grace period as interrupted; the next bot resolves it", async () => {
    const { bot, env, entry } = await setUp(300, {
      kind: "latency",
      rpc: "GetSCMIntegration",
      nth: 3,
      latencyMs: 60_000,
    });
    const started = Date.now();
    bot.child.kill("SIGTERM");
    expect(await bot.exited()).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    const journaled = await (store as BotStore).getRotation(entry.id);
    expect(journaled?.outcome).toBeUndefined();
    expect(journaled?.interruptedAt).toBeTypeOf("number");

    emu?.faults.clear();
    bots.push(await startBotProcess(env));
    const post = await (slack as FakeSlack).waitFor(
      (call) => call.method === "chat.postMessage" && String(call.args.text).includes(": interrupted ("),
      20_000,
    );
    expect(JSON.stringify(post.args)).toContain(
      "The rotation was interrupted by a shutdown after Gitpod stored the new secret; the stored secret is the new one and valid.",
    );
    expect((slack as FakeSlack).everything()).not.toContain(NEW_SECRET);
  }, 60_000);
});
