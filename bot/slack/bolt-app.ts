/**
 * The Bolt App: with an app token over Socket Mode, else over HTTP through the signed receiver; its
 * Web API client pointed at SLACK_API_URL, with every answer counted for /metrics and a 429 left to
 * SlackRateLimits; the health routes served beside Slack's; every ack timed; Bolt's errors logged.
 */
import { App, type AppOptions, LogLevel, type webApi } from "@slack/bolt";
import type { BotConfig } from "../config.js";
import { boltLogger } from "../logger.js";
import { timeAcks } from "../server/ack-timing.js";
import { type HealthSources, healthRoutes } from "../server/health-routes.js";
import { observedFetch } from "../server/metrics.js";
import { createSignedReceiver } from "./signed-receiver.js";

function slackApiUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return url.endsWith("/") ? url : `${url}/`;
}

export function createBoltApp(
  config: BotConfig,
  services: HealthSources,
  /** Extra options of the Web API client (tests lower the retries). */
  extraClientOptions: webApi.WebClientOptions = {},
): App {
  const { metrics, logger } = services;
  const apiUrl = slackApiUrl(config.slack.apiUrl);
  const countCalls = (fetch: webApi.FetchFunction) =>
    observedFetch(fetch, (method, result) => metrics.slackCall(method, result));
  const clientOptions: webApi.WebClientOptions = {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
    ...extraClientOptions,
    // A 429 is handled by slackLimits (a capped wait), never by pausing every call for Retry-After.
    rejectRateLimitedCalls: true,
    // Every Slack Web API answer passes here: failures and 429s are counted for /metrics.
    fetch: countCalls(extraClientOptions.fetch ?? globalThis.fetch),
  };
  const customRoutes = healthRoutes(services);
  const boltLog = boltLogger(logger, LogLevel.INFO);
  const common: AppOptions = {
    token: config.slack.botToken,
    logger: boltLog,
    clientOptions,
    // The bot keeps no Bolt conversation state; without the store Bolt skips a middleware per request.
    convoStore: false,
    // start() runs init(): auth.test once, failing with a clear message instead of an unhandled rejection.
    deferInitialization: true,
  };
  const appToken = config.slack.appToken;
  const app = appToken
    ? new App({
        ...common,
        customRoutes,
        socketMode: true,
        appToken,
        // The socket client's own Web client (apps.connections.open) follows SLACK_API_URL as the bot's
        // does; it keeps Slack's default retries, which ride out an outage while reconnecting.
        installerOptions: {
          port: config.port,
          clientOptions: { ...(apiUrl ? { slackApiUrl: apiUrl } : {}), fetch: countCalls(globalThis.fetch) },
        },
      })
    : new App({
        ...common,
        receiver: createSignedReceiver({
          signingSecret: config.slack.signingSecret ?? "",
          endpoint: "/slack/events",
          maxBodyBytes: config.maxBodyBytes,
          customRoutes,
          logger: boltLog,
        }),
      });
  timeAcks(app, (event, seconds) => metrics.acked(event, seconds));
  app.error(async (error) => {
    logger.error("bolt_error", { code: (error as { code?: string }).code, message: error.message });
  });
  return app;
}
