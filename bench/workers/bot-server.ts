/**
 * Child process for the bot benchmark: either the real bot (createBot, HTTP mode, its Gitpod client
 * on the emulator and its Slack client on the stub) or the bare Bolt peer, on 127.0.0.1.
 * Config: BENCH_BOT_MODE (bot | peer), BENCH_SIGNING_SECRET, BENCH_GITPOD_URL, BENCH_GITPOD_TOKEN,
 * BENCH_SLACK_API_URL, BENCH_RUNNER_IDS (comma separated).
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBot } from "../../bot/app.js";
import { loadConfig } from "../../bot/config.js";
import { GitpodCalls } from "../../bot/gitpod/calls.js";
import { createJsonLogger } from "../../bot/logger.js";
import { openStore } from "../../bot/state/open.js";
import { GitpodClient } from "../../shared/api/index.js";
import { startBareBolt } from "../peers/bare-bolt.js";
import { ownStats, type ParentMessage, send } from "./protocol.js";

export interface BotServerInfo {
  url: string;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

interface Served {
  url: string;
  /** Commands answered "busy" (the bot's in-flight limit); the bare peer has none. */
  busy?: () => number;
  close(): Promise<void>;
}

async function startRealBot(): Promise<Served> {
  const config = loadConfig({
    SLACK_SIGNING_SECRET: required("BENCH_SIGNING_SECRET"),
    SLACK_BOT_TOKEN: "xoxb-bench-token",
    SLACK_API_URL: required("BENCH_SLACK_API_URL"),
    GITPOD_API_KEY: required("BENCH_GITPOD_TOKEN"),
    GITPOD_BASE_URL: required("BENCH_GITPOD_URL"),
    GITPOD_RUNNER_IDS: required("BENCH_RUNNER_IDS"),
    SLACK_AUDIT_CHANNEL_ID: "C0AUDIT",
    SLACK_ROTATE_USER_IDS: "U0BENCH",
    PORT: "0",
    DATABASE_URL: `sqlite:${join(tmpdir(), `bench-bot-${process.pid}.sqlite`)}`,
  });
  const { store } = await openStore(config.state.database);
  const gitpodCalls = new GitpodCalls();
  const gitpod = new GitpodClient({
    ...(config.gitpod.baseUrl === undefined ? {} : { baseUrl: config.gitpod.baseUrl }),
    apiKey: config.gitpod.apiKey,
    timeoutMs: config.gitpod.timeoutMs,
    maxRetries: 2,
    logger: gitpodCalls,
  });
  // The bot's real logger, JSON lines on stdout as in production (the benchmark sends them to /dev/null).
  const logger = createJsonLogger({
    secrets: [config.slack.botToken, config.slack.signingSecret, config.gitpod.apiKey],
  });
  const bot = createBot(config, { gitpod, gitpodCalls, logger, store });
  const { port } = await bot.start({ host: "127.0.0.1", port: 0 });
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    busy: () => bot.followUps.refused,
    close: async () => {
      await bot.stop();
      await gitpod.close();
    },
  };
}

async function main(): Promise<void> {
  const mode = required("BENCH_BOT_MODE");
  const server: Served =
    mode === "bot"
      ? await startRealBot()
      : await startBareBolt(required("BENCH_SIGNING_SECRET"), required("BENCH_SLACK_API_URL"));
  process.on("message", (message: ParentMessage) => {
    if (message.type === "stats")
      send({ type: "stats", stats: { ...ownStats(), busy: server.busy?.() ?? 0 } });
    else if (message.type === "stop") {
      // Follow-up work may still be queued after a flood: give closing a second, then leave anyway.
      const leave = () => process.exit(0);
      setTimeout(leave, 1000).unref();
      void server.close().then(leave, leave);
    }
  });
  send<BotServerInfo>({ type: "ready", info: { url: server.url } });
}

main().catch((error: unknown) => {
  send({ type: "error", message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
