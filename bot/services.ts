/**
 * The process-wide parts createBot builds before the Bolt app: the logger, the limits, what the
 * health routes and metrics report on, and the subscription that feeds them the Gitpod client's calls.
 */
import type { BotConfig } from "./config.js";
import { type GitpodCalls, GitpodTokenState } from "./gitpod/calls.js";
import { createJsonLogger, type JsonLogger } from "./logger.js";
import { RunningRotations } from "./rotations/running.js";
import { type HealthSources, storeAnswers } from "./server/health-routes.js";
import { InFlightLimit } from "./server/in-flight-limit.js";
import { BotMetrics } from "./server/metrics.js";
import { SocketModeConnection } from "./server/socket-mode-connection.js";
import { SlackRateLimits } from "./slack/rate-limits.js";
import type { BotStore } from "./state/store.js";

export interface BotServices extends HealthSources {
  /** Slash commands whose follow-up work is running, and how many were answered "busy". */
  followUps: InFlightLimit;
  rotations: RunningRotations;
  /** Stops feeding the Gitpod client's calls to the token state and the metrics (shutdown). */
  gitpodCallsObserved: { stop(): void };
}

export function buildServices(
  config: BotConfig,
  deps: { store: BotStore; gitpodCalls: GitpodCalls; logger?: JsonLogger },
): BotServices {
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
  const followUps = new InFlightLimit(config.maxInFlight);
  const rotations = new RunningRotations();
  const gitpodToken = new GitpodTokenState();
  const socket = new SocketModeConnection(Boolean(config.slack.appToken));
  const metrics = new BotMetrics({
    inFlightCommands: () => followUps.inFlight,
    runningRotations: () => rotations.size,
    storeUp: () => storeAnswers(deps.store),
    gitpodTokenAccepted: () => gitpodToken.accepted,
    socketConnected: () => socket.connected,
  });
  const unsubscribe = deps.gitpodCalls.subscribe((call) => {
    gitpodToken.observe(call);
    metrics.gitpodCall(call);
  });
  return {
    logger,
    store: deps.store,
    followUps,
    rotations,
    gitpodToken,
    socket,
    metrics,
    slackLimits: new SlackRateLimits(logger),
    lifecycle: { draining: false },
    gitpodCallsObserved: { stop: unsubscribe },
  };
}
