/**
 * The Slack bot as a Bolt app, in the shape of Bolt's own template: build the app, register the
 * listeners, start. Listeners (listeners/) are thin: they acknowledge at once (before any Gitpod
 * call) and hand off to plain functions. HTTP mode serves POST /slack/events beside the health
 * routes; with an app token the bot uses Socket Mode instead (lifecycle/listen.ts).
 */

import type { App, webApi } from "@slack/bolt";
import type { KeyedLock } from "../shared/rotation/lock.js";
import type { BotConfig } from "./config.js";
import { type BotContext, buildContext } from "./context.js";
import type { GitpodCalls } from "./gitpod/calls.js";
import type { BotGitpodApi } from "./gitpod/reads.js";
import { BackgroundSweeps } from "./lifecycle/background-sweeps.js";
import { GitpodTokenChecks } from "./lifecycle/gitpod-token-checks.js";
import { type ListenOptions, listen } from "./lifecycle/listen.js";
import { shutDownGracefully } from "./lifecycle/shutdown.js";
import { registerListeners } from "./listeners/index.js";
import type { JsonLogger } from "./logger.js";
import type { InFlightLimit } from "./server/in-flight-limit.js";
import type { BotMetrics } from "./server/metrics.js";
import { buildServices } from "./services.js";
import { createBoltApp } from "./slack/bolt-app.js";
import type { BotStore } from "./state/store.js";

export interface BotDeps {
  gitpod: BotGitpodApi;
  /** The `logger` given to the Gitpod client: its calls feed /readyz (token accepted?) and /metrics. */
  gitpodCalls: GitpodCalls;
  /** The shared state (openStore); the bot closes it on shutdown. */
  store: BotStore;
  /** This process's id as owner of leases and journal entries; default hostname, pid and a random part. */
  instanceId?: string;
  logger?: JsonLogger;
  /** Shared with other rotations in this process; default: a lock of the bot's own. */
  lock?: KeyedLock;
  now?: () => Date;
  /** Extra options of the Slack Web API client (tests lower the retries). */
  slackClientOptions?: webApi.WebClientOptions;
  /** How long user group membership is cached; default 60 s. */
  usergroupCacheMs?: number;
}

export interface Bot {
  app: App;
  context: BotContext;
  /** Slash commands whose follow-up work is running, and how many were answered "busy". */
  followUps: InFlightLimit;
  metrics: BotMetrics;
  /** Starts listening; in HTTP mode resolves with the bound port. */
  start(options?: ListenOptions): Promise<{ port?: number }>;
  /**
   * Graceful: stop taking commands ("restarting"), let running rotations finish within the grace
   * period, journal the rest as interrupted, then stop the app and close the store.
   */
  stop(): Promise<void>;
}

export function createBot(config: BotConfig, deps: BotDeps): Bot {
  // Build: the process-wide services, the Bolt app, what every handler gets.
  const services = buildServices(config, deps);
  const app = createBoltApp(config, services, deps.slackClientOptions);
  const context = buildContext(config, deps, services, app);

  // Register the listeners; each request's outcome is counted for /metrics.
  registerListeners(app, context, services.followUps, (request) =>
    services.metrics.request(request.event, request.kind, request.outcome),
  );

  // Start and stop, with the work the process does in the background while it runs.
  const sweeps = new BackgroundSweeps(context);
  const tokenChecks = new GitpodTokenChecks(context, services.gitpodToken);
  return {
    app,
    context,
    followUps: services.followUps,
    metrics: services.metrics,
    async start(options = {}) {
      const listening = await listen(app, config, services.socket, context.logger, options);
      sweeps.start();
      await tokenChecks.start();
      const { mode, ...where } = listening;
      context.logger.info("started", { mode, command: config.command, ...where });
      return listening.mode === "http" ? { port: listening.port } : {};
    },
    stop: () => shutDownGracefully(app, context, [sweeps, tokenChecks, services.gitpodCallsObserved]),
  };
}
