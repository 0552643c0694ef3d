/**
 * The Slack bot as a Bolt app. Listeners are thin: they acknowledge at once (before any Gitpod
 * call) and hand off to plain functions. HTTP mode serves POST /slack/events and GET /healthz;
 * with an app token the bot uses Socket Mode instead.
 */

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, type AppOptions, LogLevel, type webApi } from "@slack/bolt";
import { KeyedLock } from "../shared/rotation/lock.js";
import { Auditor } from "./audit.js";
import { Authorizer } from "./authorization.js";
import { type BotConfig, runnerLabels } from "./config.js";
import type { BotContext } from "./context.js";
import type { BotGitpodApi } from "./gitpod.js";
import { handleCommand } from "./handlers/command.js";
import { BUSY_TEXT, InFlightLimit } from "./in-flight-limit.js";
import { registerInteractions } from "./interactions.js";
import { boltLogger, createJsonLogger, type JsonLogger } from "./logger.js";

export interface BotDeps {
  gitpod: BotGitpodApi;
  logger?: JsonLogger;
  /** Shared with other rotations in this process; default: a lock of the bot's own. */
  lock?: KeyedLock;
  now?: () => Date;
  /** Extra options of the Slack Web API client (tests lower the retries). */
  slackClientOptions?: webApi.WebClientOptions;
  /** How long user group membership is cached; default 60 s. */
  usergroupCacheMs?: number;
}

export interface StartOptions {
  /** Interface to listen on in HTTP mode; default all interfaces. */
  host?: string;
  /** Overrides config.port (0 picks a free port). */
  port?: number;
}

export interface Bot {
  app: App;
  context: BotContext;
  /** Slash commands whose follow-up work is running, and how many were answered "busy". */
  followUps: InFlightLimit;
  /** Starts listening; in HTTP mode resolves with the bound port. */
  start(options?: StartOptions): Promise<{ port?: number }>;
  stop(): Promise<void>;
}

const HEALTH_PATH = "/healthz";

function slackApiUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return url.endsWith("/") ? url : `${url}/`;
}

export function createBot(config: BotConfig, deps: BotDeps): Bot {
  const logger =
    deps.logger ??
    createJsonLogger({
      secrets: [
        config.slack.botToken,
        config.slack.signingSecret,
        config.slack.appToken,
        config.gitpod.apiKey,
      ],
    });
  const apiUrl = slackApiUrl(config.slack.apiUrl);
  const clientOptions: webApi.WebClientOptions = {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
    ...deps.slackClientOptions,
  };
  const healthRoute = {
    path: HEALTH_PATH,
    method: ["GET"],
    handler: (_request: unknown, response: import("node:http").ServerResponse) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ ok: true }));
    },
  };
  const common: AppOptions = {
    token: config.slack.botToken,
    logger: boltLogger(logger, LogLevel.INFO),
    clientOptions,
    customRoutes: [healthRoute],
    // start() runs init(): auth.test once, failing with a clear message instead of an unhandled rejection.
    deferInitialization: true,
  };
  const socketMode = Boolean(config.slack.appToken);
  const app = socketMode
    ? new App({
        ...common,
        socketMode: true,
        appToken: config.slack.appToken,
        installerOptions: { port: config.port },
      })
    : new App({ ...common, signingSecret: config.slack.signingSecret ?? "", endpoints: "/slack/events" });

  const context: BotContext = {
    config,
    gitpod: deps.gitpod,
    slack: app.client,
    authorizer: new Authorizer(config.authorization, app.client, deps.usergroupCacheMs ?? 60_000),
    auditor: new Auditor(app.client, config.auditChannelId, logger),
    logger,
    lock: deps.lock ?? new KeyedLock(),
    runnerIds: config.runners.map((runner) => runner.id),
    runnerLabels: runnerLabels(config),
    now: deps.now ?? (() => new Date()),
  };

  const followUps = new InFlightLimit(config.maxInFlight);
  app.command(config.command, async ({ command, ack, respond }) => {
    // Under a burst, unbounded follow-up work would starve the acks of everyone else: past the
    // limit the ack itself says "busy" and no Gitpod call is made.
    if (!followUps.tryEnter()) {
      await ack({ response_type: "ephemeral", text: BUSY_TEXT });
      // Debug only: during a burst a line per refusal would itself cost what the limit saves.
      logger.debug("command_busy", { inFlight: followUps.inFlight, refused: followUps.refused });
      return;
    }
    try {
      await ack();
      await handleCommand(
        context,
        {
          text: command.text ?? "",
          userId: command.user_id,
          channelId: command.channel_id,
          triggerId: command.trigger_id,
          responseUrl: command.response_url,
        },
        respond,
      );
    } finally {
      followUps.leave();
    }
  });
  registerInteractions(app, context);
  app.error(async (error) => {
    logger.error("bolt_error", { code: (error as { code?: string }).code, message: error.message });
  });

  let server: Server | undefined;
  return {
    app,
    context,
    followUps,
    async start(options = {}) {
      // Fail fast, with a clear message, when Slack does not accept the bot token.
      await app.init().catch((error: unknown) => {
        const code =
          (error as { data?: { error?: string } }).data?.error ??
          (error as { code?: string }).code ??
          "unreachable";
        throw new Error(`Slack did not accept SLACK_BOT_TOKEN (auth.test: ${code})`);
      });
      const port = options.port ?? config.port;
      if (socketMode) {
        await app.start();
        logger.info("started", { mode: "socket", command: config.command, healthPort: port });
        return {};
      }
      server = (await app.start({ port, host: options.host ?? config.host })) as Server;
      const bound = (server.address() as AddressInfo).port;
      logger.info("started", { mode: "http", command: config.command, port: bound });
      return { port: bound };
    },
    async stop() {
      await app.stop();
      logger.info("stopped");
    },
  };
}
