import { readdirSync } from "node:fs";
/**
 * A built bot (the npm package's bin, the image's `node dist/bot.mjs`) started against the emulator
 * and the fake Slack API, as the package and Dockerfile tests run it: up until its `/healthz`
 * answers, then stopped with SIGTERM.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BotLaunch, type BotProcess, startBotProcess } from "../bot/bot-process.js";
import { RUNNER_EU_ID, startEmulator } from "../emulator/index.js";
import { startFakeSlack } from "../fakes/slack-api.js";

/** The migrations a fresh SQLite store applies, by number: what a started bot logs as migrationsApplied. */
export const MIGRATIONS = readdirSync("bot/state/migrations/sqlite")
  .filter((file) => file.endsWith(".sql"))
  .map((file) => Number.parseInt(file, 10))
  .sort((a, b) => a - b);

export interface BuiltBotRun {
  health: { status: number; body: unknown };
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts the bot `launch` names with `PATH`, asks `/healthz` (and runs `whileUp`), stops it; `env`
 * adds to or overrides the bot's environment.
 */
export async function runBuiltBot(
  launch: BotLaunch,
  path: string,
  env: Record<string, string> = {},
  whileUp: (bot: BotProcess) => Promise<void> = async () => {},
): Promise<BuiltBotRun> {
  const emu = await startEmulator();
  const slack = await startFakeSlack();
  const stateDir = await mkdtemp(join(tmpdir(), "runner-config-built-bot-"));
  try {
    const bot = await startBotProcess(
      {
        PATH: path,
        DATABASE_URL: `sqlite:${join(stateDir, "bot.sqlite")}`,
        SLACK_BOT_TOKEN: "xoxb-built-bot-token",
        SLACK_API_URL: slack.apiUrl,
        GITPOD_API_KEY: emu.token,
        GITPOD_BASE_URL: emu.url,
        GITPOD_RUNNER_IDS: RUNNER_EU_ID,
        SLACK_AUDIT_CHANNEL_ID: "C0AUDIT",
        ...env,
      },
      60_000,
      launch,
    );
    try {
      const response = await fetch(`${bot.url}/healthz`);
      const health = { status: response.status, body: await response.json() };
      await whileUp(bot);
      bot.child.kill("SIGTERM");
      return { health, exitCode: await bot.exited(), stdout: bot.stdout(), stderr: bot.stderr() };
    } finally {
      if (bot.child.exitCode === null) bot.child.kill("SIGKILL");
    }
  } finally {
    await emu.close();
    await slack.close();
    await rm(stateDir, { recursive: true, force: true });
  }
}
