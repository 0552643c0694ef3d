/** `npm run bot` as a process: configuration errors, start, health check, clean stop. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Emulator, RUNNER_EU_ID, startEmulator } from "../emulator/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { spawnBot, startBotProcess } from "./bot-process.js";

const CANARY_TOKEN = "xoxb-canary-bot-token-93f1";

describe("npm run bot", () => {
  let emu: Emulator | undefined;
  let slack: FakeSlack | undefined;
  afterEach(async () => {
    await emu?.close();
    await slack?.close();
  });

  it("stops with one message naming every bad variable, and no secret", async () => {
    const bot = spawnBot({ SLACK_BOT_TOKEN: "not-a-bot-token-canary", GITPOD_RUNNER_IDS: "nope" });
    expect(await bot.exited()).toBe(2);
    const message = bot.stderr();
    for (const name of [
      "SLACK_BOT_TOKEN",
      "SLACK_SIGNING_SECRET",
      "GITPOD_API_KEY",
      "GITPOD_RUNNER_IDS",
      "SLACK_AUDIT_CHANNEL_ID",
    ]) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain("canary");
    expect(message.match(/configuration is not usable/g)).toHaveLength(1);
  });

  it("starts, answers /healthz and stops cleanly on SIGTERM", async () => {
    emu = await startEmulator();
    slack = await startFakeSlack();
    // Its own store, not the default ./data/bot.sqlite in the repository.
    const stateDir = mkdtempSync(join(tmpdir(), "bot-main-"));
    const bot = await startBotProcess(
      {
        DATABASE_URL: `sqlite:${join(stateDir, "bot.sqlite")}`,
        SLACK_BOT_TOKEN: CANARY_TOKEN,
        SLACK_SIGNING_SECRET: "signing-secret-canary",
        SLACK_API_URL: slack.apiUrl,
        GITPOD_API_KEY: emu.token,
        GITPOD_BASE_URL: emu.url,
        GITPOD_RUNNER_IDS: RUNNER_EU_ID,
        SLACK_AUDIT_CHANNEL_ID: "C0AUDIT",
        PORT: "0",
        HOST: "127.0.0.1",
      },
      15_000,
    );
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(200);
    bot.child.kill("SIGTERM");
    expect(await bot.exited()).toBe(0);
    expect(bot.stdout()).not.toContain(CANARY_TOKEN);
    expect(slack.callsTo("auth.test")).toHaveLength(1);
    rmSync(stateDir, { recursive: true, force: true });
  });
});
