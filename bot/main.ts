/**
 * `npm run bot`: read the configuration, connect the Gitpod client, start the bot, stop cleanly on
 * SIGTERM/SIGINT. A bad configuration stops here with one message naming every problem.
 */
import { withoutCredentials } from "../shared/api/dispatcher.js";
import { createBot } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { GitpodCalls } from "./gitpod/calls.js";
import { botGitpodClient } from "./gitpod/client.js";
import { createJsonLogger } from "./logger.js";
import { describeDatabase, openStore } from "./state/open.js";

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createJsonLogger({
    level: process.env.LOG_LEVEL === "debug" ? "debug" : "info",
    secrets: [config.slack.botToken, config.slack.signingSecret, config.slack.appToken, config.gitpod.apiKey],
  });
  for (const message of config.warnings) logger.warn("config_warning", { message });
  // Sees every call's outcome: /readyz (is the token accepted?) and /metrics.
  const gitpodCalls = new GitpodCalls();
  const gitpod = botGitpodClient(config, { maxRetries: 2, logger: gitpodCalls });
  logger.info("gitpod_api", {
    baseUrl: withoutCredentials(gitpod.baseUrl),
    baseUrlFrom: config.gitpod.baseUrlVariable ?? "default",
    apiKeyFrom: config.gitpod.apiKeyVariable,
  });
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore(config.state.database, {
      onError: (error) => logger.error("store_connection_error", { message: error.message }),
      ownProcess: true,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `The bot could not open its state store (DATABASE_URL=${describeDatabase(config.state.database)}): ${reason}\n`,
    );
    process.exit(1);
  }
  logger.info("store_opened", {
    store: describeDatabase(config.state.database),
    schemaVersion: store.migrations.version,
    migrationsApplied: store.migrations.applied,
  });
  const bot = createBot(config, { gitpod, gitpodCalls, logger, store: store.store });
  await bot.start();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("stopping", { signal });
    // bot.stop drains: running rotations get BOT_SHUTDOWN_GRACE_MS, the rest are journaled as interrupted.
    await bot.stop().catch((error: unknown) => logger.error("stop_failed", { error: String(error) }));
    // A call still hanging belongs to an interrupted rotation: do not wait for it.
    await Promise.race([gitpod.close(), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `The bot could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
