/** The bot's Gitpod API client: its settings from the configuration, its errors in words for Slack users. */
import { GitpodClient, type GitpodClientOptions } from "../../shared/api/index.js";
import type { BotConfig } from "../config.js";

/**
 * Slack users cannot change the bot's settings, so a rejected token or a moved address is named as
 * the business of whoever runs the bot, with the variable it read. `tuning`: timeouts and retries.
 */
export function botGitpodClient(
  config: Pick<BotConfig, "gitpod">,
  tuning: Pick<
    GitpodClientOptions,
    "maxRetries" | "retryBaseDelayMs" | "retryMaxDelayMs" | "timeoutMs" | "logger"
  > = {},
): GitpodClient {
  const { gitpod } = config;
  return new GitpodClient({
    apiKey: gitpod.apiKey,
    ...(gitpod.baseUrl ? { baseUrl: gitpod.baseUrl } : {}),
    timeoutMs: gitpod.timeoutMs,
    ...tuning,
    settingNames: {
      apiKey: `the bot's ${gitpod.apiKeyVariable}, where the bot runs`,
      baseUrl: `the bot's ${gitpod.baseUrlVariable ?? "ONA_BASE_URL"}, where the bot runs`,
    },
  });
}
