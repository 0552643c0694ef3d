/**
 * The bot's SQLite file used by other processes: a second bot process on the same file is refused
 * at start with a message naming the file; and while another process (an admin's shell, a backup)
 * holds the file's write lock, a write of the bot waits without freezing its event loop: `help`
 * and /healthz answer during the wait, and the write lands once the lock is released. The bot as a
 * process over signed HTTP; the lock is held by this test's own process.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotProcess, sendCommand, spawnBot, startBotProcess } from "../bot/bot-process.js";
import { BOT_TOKEN, SIGNING_SECRET } from "../bot/harness.js";
import { type Emulator, RUNNER_EU_ID, startEmulator } from "../emulator/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { waitUntil } from "../support/wait.js";

const ADMIN = "U0ADMIN";
const INTRUDER = "U0INTRUDER";
const AUDIT = "C0AUDIT";

let dir = "";
let emu: Emulator | undefined;
let slack: FakeSlack | undefined;
let bot: BotProcess | undefined;
let env: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "bot-sqlite-locked-"));
  emu = await startEmulator();
  slack = await startFakeSlack();
  env = {
    DATABASE_URL: `sqlite:${join(dir, "bot.sqlite")}`,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    GITPOD_API_KEY: emu.token,
    GITPOD_BASE_URL: emu.url,
    GITPOD_RUNNER_IDS: RUNNER_EU_ID,
    SLACK_ROTATE_USER_IDS: ADMIN,
    SLACK_AUDIT_CHANNEL_ID: AUDIT,
  };
  bot = await startBotProcess(env);
}, 60_000);
afterAll(async () => {
  bot?.child.kill("SIGKILL");
  await bot?.exited();
  await slack?.close();
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function answer(responseUrlId: string, timeoutMs = 15_000): Promise<string> {
  const call = await (slack as FakeSlack).waitFor(
    (entry) => entry.responseUrlId === responseUrlId,
    timeoutMs,
  );
  return JSON.stringify(call.args);
}

describe("the bot's SQLite file and other processes", () => {
  it("a second bot process on the same file is refused at start, naming the file", async () => {
    const second = spawnBot({ ...env, SLACK_SIGNING_SECRET: SIGNING_SECRET, PORT: "0", HOST: "127.0.0.1" });
    const code = await Promise.race([
      second.exited(),
      waitUntil(() => second.events().some((line) => line.event === "started"), { timeoutMs: 20_000 }).then(
        () => "started",
      ),
    ]);
    second.child.kill("SIGKILL");
    expect(code).toBe(1);
    expect(second.stderr()).toContain("another bot process is using the SQLite database");
    expect(second.stderr()).toContain(join(dir, "bot.sqlite"));
    // The first one is not disturbed.
    expect((await fetch(`${(bot as BotProcess).url}/healthz`)).status).toBe(200);
  });

  it("while another process holds the write lock, help and /healthz answer, and the bot's write lands after", async () => {
    const b = bot as BotProcess;
    const s = slack as FakeSlack;
    const holder = new DatabaseSync(join(dir, "bot.sqlite"));
    holder.exec("BEGIN IMMEDIATE");
    let held = true;
    try {
      // A refused revoke is audited: the history insert waits for the lock.
      const refused = await sendCommand(b, s, "revoke github.com", INTRUDER);
      expect(await answer(refused.responseUrlId)).toContain("not allowed to revoke");
      // The event loop is free while that write waits: help is answered and /healthz says ok.
      const help = await sendCommand(b, s, "help", ADMIN);
      expect(help.status).toBe(200);
      expect(await answer(help.responseUrlId, 3000)).toContain("rotate");
      const health = await fetch(`${b.url}/healthz`);
      expect(health.status).toBe(200);
      const { n } = holder
        .prepare("SELECT count(*) AS n FROM audit_events WHERE actor = ?")
        .get(INTRUDER) as {
        n: number;
      };
      expect(n).toBe(0);
      holder.exec("ROLLBACK");
      held = false;
      await waitUntil(
        () =>
          (
            holder.prepare("SELECT count(*) AS n FROM audit_events WHERE actor = ?").get(INTRUDER) as {
              n: number;
            }
          ).n === 1,
        { what: "the refusal in the history once the lock is released" },
      );
    } finally {
      if (held) holder.exec("ROLLBACK");
      holder.close();
    }
    expect(b.child.exitCode).toBeNull();
  });
});
