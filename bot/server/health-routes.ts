/**
 * The process's own routes beside Slack's: GET /healthz (liveness), /readyz (readiness) and /metrics
 * (Prometheus text; docs/bot.md "Metrics"). Both receivers serve them: the HTTP one beside
 * /slack/events, Socket Mode's on its health port.
 */
import type { ServerResponse } from "node:http";
import type { CustomRoute } from "@slack/bolt";
import type { GitpodTokenState } from "../gitpod/calls.js";
import type { JsonLogger } from "../logger.js";
import type { SlackRateLimits } from "../slack/rate-limits.js";
import type { BotStore } from "../state/store.js";
import type { BotMetrics } from "./metrics.js";
import type { SocketModeConnection } from "./socket-mode-connection.js";

/** /healthz waits at most this long for the store to answer. */
const STORE_PING_TIMEOUT_MS = 2000;

/** What the routes report on. */
export interface HealthSources {
  store: BotStore;
  socket: SocketModeConnection;
  slackLimits: SlackRateLimits;
  gitpodToken: GitpodTokenState;
  /** Set on shutdown: the bot is alive but takes no more commands. */
  lifecycle: { draining: boolean };
  metrics: BotMetrics;
  logger: JsonLogger;
}

/** Whether the store answers a ping within STORE_PING_TIMEOUT_MS (also the store_up gauge). */
export async function storeAnswers(store: BotStore): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), STORE_PING_TIMEOUT_MS);
  });
  try {
    return await Promise.race([store.ping().then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

function writeJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  response.end(JSON.stringify(body));
}

/** /readyz beyond the store and shutdown: the Gitpod token (kept apart so other checks merge easily). */
function gitpodTokenReadiness(token: GitpodTokenState): { ready: boolean; fields: Record<string, unknown> } {
  const { ready, gitpodToken, reason } = token.readiness();
  return { ready, fields: { gitpodToken, ...(ready ? {} : { reason }) } };
}

export function healthRoutes(sources: HealthSources): CustomRoute[] {
  const { store, socket, slackLimits, gitpodToken, lifecycle, metrics, logger } = sources;
  // Liveness: the store answers (and, in Socket Mode, the connection to Slack is up).
  const health: CustomRoute = {
    path: "/healthz",
    method: ["GET"],
    handler: async (_request, response) => {
      const storeState = (await storeAnswers(store)) ? "ok" : "down";
      const socketState = socket.health();
      // Slack asked the bot to wait: follow-ups that need those methods fail until then.
      const rateLimited = slackLimits.current();
      const ok = storeState === "ok" && socketState !== "disconnected" && rateLimited.length === 0;
      writeJson(response, ok ? 200 : 503, {
        ok,
        store: storeState,
        storeKind: store.kind,
        ...(socketState ? { socket: socketState } : {}),
        slack: rateLimited.length === 0 ? "ok" : "rate-limited",
        ...(rateLimited.length > 0 ? { slackRateLimited: rateLimited } : {}),
      });
    },
  };
  // Readiness: as healthy, and not shutting down (a load balancer stops sending commands here).
  const ready: CustomRoute = {
    path: "/readyz",
    method: ["GET"],
    handler: async (_request, response) => {
      const storeState = (await storeAnswers(store)) ? "ok" : "down";
      const token = gitpodTokenReadiness(gitpodToken);
      const isReady = storeState === "ok" && !lifecycle.draining && !socket.seenDown && token.ready;
      writeJson(response, isReady ? 200 : 503, {
        ready: isReady,
        store: storeState,
        draining: lifecycle.draining,
        ...token.fields,
      });
    },
  };
  const prometheus: CustomRoute = {
    path: "/metrics",
    method: ["GET"],
    handler: async (_request, response) => {
      try {
        const { contentType, body } = await metrics.text();
        response.writeHead(200, { "content-type": contentType, "cache-control": "no-store" });
        response.end(body);
      } catch (error) {
        logger.error("metrics_failed", { error: String(error) });
        writeJson(response, 500, { error: "the metrics could not be collected" });
      }
    },
  };
  return [health, ready, prometheus];
}
