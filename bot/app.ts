/**
 * The Slack bot as a Bolt app. Listeners (listeners/) are thin: they acknowledge at once (before
 * any Gitpod call) and hand off to plain functions. HTTP mode serves POST /slack/events and GET /healthz;
 * with an app token the bot uses Socket Mode instead.
 */

import { randomUUID } from "node:crypto";
import type { Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import { App, type AppOptions, LogLevel, type webApi } from "@slack/bolt";
import { KeyedLock } from "../shared/rotation/lock.js";
import { Approvers } from "./approvals/approvers.js";
import { sweepExpiredApprovals } from "./approvals/flow.js";
import { Auditor } from "./audit-trail.js";
import { Authorizer } from "./authorization.js";
import { type BotConfig, runnerLabels } from "./config.js";
import type { BotContext } from "./context.js";
import { type GitpodCalls, GitpodTokenState } from "./gitpod/calls.js";
import type { BotGitpodApi } from "./gitpod/reads.js";
import { registerListeners } from "./listeners/index.js";
import { boltLogger, createJsonLogger, type JsonLogger } from "./logger.js";
import { recoverAbandoned } from "./rotations/recovery.js";
import { RunningRotations } from "./rotations/running.js";
import { InFlightLimit } from "./server/in-flight-limit.js";
import { BotMetrics, observedFetch } from "./server/metrics.js";
import { SlackRateLimits } from "./slack/rate-limits.js";
import { createSignedReceiver } from "./slack/signed-receiver.js";
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

interface StartOptions {
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
  metrics: BotMetrics;
  /** Starts listening; in HTTP mode resolves with the bound port. */
  start(options?: StartOptions): Promise<{ port?: number }>;
  /**
   * Graceful: stop taking commands ("restarting"), let running rotations finish within the grace
   * period, journal the rest as interrupted, then stop the app and close the store.
   */
  stop(): Promise<void>;
}

interface SocketEvents {
  on(event: string, listener: () => void): unknown;
}

const HEALTH_PATH = "/healthz";
const READY_PATH = "/readyz";
const METRICS_PATH = "/metrics";
/** start() waits this long for the first token check, so a bot that says "started" is usually ready. */
const FIRST_TOKEN_CHECK_WAIT_MS = 2000;
/** /healthz waits at most this long for the store to answer. */
const STORE_PING_TIMEOUT_MS = 2000;

async function storeAnswers(store: BotStore): Promise<boolean> {
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

/**
 * One cheap authenticated read (the first page of the managed runners' integrations) to learn whether
 * the API accepts the token; the answer reaches GitpodTokenState through the client's logger.
 */
async function checkGitpodToken(gitpod: BotGitpodApi, runnerIds: readonly string[]): Promise<void> {
  try {
    for await (const _ of gitpod.scmIntegrations.list({ filter: { runnerIds: [...runnerIds] } })) break;
  } catch {
    // Seen by the observer: a 401/403 keeps the bot unready, an outage changes nothing.
  }
}

/** /readyz beyond the store and shutdown: the Gitpod token (kept apart so other checks merge easily). */
function gitpodTokenReadiness(token: GitpodTokenState): { ready: boolean; fields: Record<string, unknown> } {
  const { ready, gitpodToken, reason } = token.readiness();
  return { ready, fields: { gitpodToken, ...(ready ? {} : { reason }) } };
}

/**
 * Times every acknowledgement for /metrics. Both receivers (HTTP and Socket Mode) hand each verified
 * request to App.processEvent with its ack; Bolt offers no other hook that sees the ack.
 */
function timeAcks(app: App, observe: (event: string, seconds: number) => void): void {
  const process = app.processEvent.bind(app);
  app.processEvent = (event) => {
    const started = performance.now();
    const body = event.body as Record<string, unknown>;
    const kind =
      typeof body.command === "string" ? "command" : typeof body.type === "string" ? body.type : "other";
    const ack: typeof event.ack = async (response) => {
      try {
        return await event.ack(response);
      } finally {
        observe(kind, (performance.now() - started) / 1000);
      }
    };
    return process({ ...event, ack });
  };
}

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
  const lifecycle = { draining: false };
  let socketConnected: boolean | undefined;
  const followUps = new InFlightLimit(config.maxInFlight);
  const rotations = new RunningRotations();
  const gitpodToken = new GitpodTokenState();
  const metrics = new BotMetrics({
    inFlightCommands: () => followUps.inFlight,
    runningRotations: () => rotations.size,
    storeUp: () => storeAnswers(deps.store),
    gitpodTokenAccepted: () => gitpodToken.accepted,
    socketConnected: () => (config.slack.appToken ? socketConnected === true : undefined),
  });
  const unsubscribe = deps.gitpodCalls.subscribe((call) => {
    gitpodToken.observe(call);
    metrics.gitpodCall(call);
  });
  const apiUrl = slackApiUrl(config.slack.apiUrl);
  const clientOptions: webApi.WebClientOptions = {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
    ...deps.slackClientOptions,
    // A 429 is handled by slackLimits (a capped wait), never by pausing every call for Retry-After.
    rejectRateLimitedCalls: true,
    // Every Slack Web API answer passes here: failures and 429s are counted for /metrics.
    fetch: observedFetch(deps.slackClientOptions?.fetch ?? globalThis.fetch, (method, result) =>
      metrics.slackCall(method, result),
    ),
  };
  const slackLimits = new SlackRateLimits(logger);
  // Liveness: the store answers (and, in Socket Mode, the connection to Slack is up).
  const healthRoute = {
    path: HEALTH_PATH,
    method: ["GET"],
    handler: async (_request: unknown, response: ServerResponse) => {
      const store = (await storeAnswers(deps.store)) ? "ok" : "down";
      const socket = socketMode ? (socketConnected ? "connected" : "disconnected") : undefined;
      // Slack asked the bot to wait: follow-ups that need those methods fail until then.
      const rateLimited = slackLimits.current();
      const ok = store === "ok" && socket !== "disconnected" && rateLimited.length === 0;
      writeJson(response, ok ? 200 : 503, {
        ok,
        store,
        storeKind: deps.store.kind,
        ...(socket ? { socket } : {}),
        slack: rateLimited.length === 0 ? "ok" : "rate-limited",
        ...(rateLimited.length > 0 ? { slackRateLimited: rateLimited } : {}),
      });
    },
  };
  // Readiness: as healthy, and not shutting down (a load balancer stops sending commands here).
  const readyRoute = {
    path: READY_PATH,
    method: ["GET"],
    handler: async (_request: unknown, response: ServerResponse) => {
      const store = (await storeAnswers(deps.store)) ? "ok" : "down";
      const token = gitpodTokenReadiness(gitpodToken);
      const ready = store === "ok" && !lifecycle.draining && socketConnected !== false && token.ready;
      writeJson(response, ready ? 200 : 503, {
        ready,
        store,
        draining: lifecycle.draining,
        ...token.fields,
      });
    },
  };
  // Prometheus text format; see docs/bot.md ("Metrics").
  const metricsRoute = {
    path: METRICS_PATH,
    method: ["GET"],
    handler: async (_request: unknown, response: ServerResponse) => {
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
  const customRoutes = [healthRoute, readyRoute, metricsRoute];
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
  const socketMode = Boolean(appToken);
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
          clientOptions: {
            ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
            fetch: observedFetch(globalThis.fetch, (method, result) => metrics.slackCall(method, result)),
          },
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

  // Every Web API call the bot makes goes through this (the capped 429 wait).
  const slack = slackLimits.wrap(app.client);

  const instanceId = deps.instanceId ?? `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  const context: BotContext = {
    config,
    gitpod: deps.gitpod,
    slack,
    authorizer: new Authorizer(config.authorization, slack, deps.usergroupCacheMs ?? 60_000),
    auditor: new Auditor(slack, config.auditChannelId, logger, deps.store, (record) =>
      metrics.audited(record.action, record.outcome),
    ),
    logger,
    lock: deps.lock ?? new KeyedLock(),
    runnerIds: config.runners.map((runner) => runner.id),
    runnerLabels: runnerLabels(config),
    now: deps.now ?? (() => new Date()),
    store: deps.store,
    instanceId,
    rotations,
    lifecycle,
    approvers: new Approvers(config.approvals.approverIds, slack, deps.usergroupCacheMs ?? 60_000),
  };

  registerListeners(app, context, followUps, (request) =>
    metrics.request(request.event, request.kind, request.outcome),
  );
  timeAcks(app, (event, seconds) => metrics.acked(event, seconds));
  app.error(async (error) => {
    logger.error("bolt_error", { code: (error as { code?: string }).code, message: error.message });
  });

  let tokenChecker: NodeJS.Timeout | undefined;
  const startTokenChecks = async () => {
    // While the token is not known to be accepted (at start, after a 401/403), check it now and then.
    tokenChecker = setInterval(() => {
      if (!gitpodToken.accepted) void checkGitpodToken(deps.gitpod, context.runnerIds);
    }, config.gitpod.tokenCheckMs);
    tokenChecker.unref();
    await Promise.race([
      checkGitpodToken(deps.gitpod, context.runnerIds),
      new Promise((resolve) => setTimeout(resolve, FIRST_TOKEN_CHECK_WAIT_MS).unref()),
    ]);
  };
  let server: Server | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  let sweeping: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    sweeping = recoverAbandoned(context).catch((error: unknown) => {
      logger.error("recovery_sweep_failed", { error: String(error) });
    });
    return sweeping;
  };
  let expirySweeper: NodeJS.Timeout | undefined;
  let expiring: Promise<unknown> | undefined;
  const sweepExpiries = () => {
    // One sweep at a time in this process: a slow Slack must not pile sweeps up.
    expiring ??= sweepExpiredApprovals(context)
      .catch((error: unknown) => {
        logger.error("approval_expiry_sweep_failed", { error: String(error) });
      })
      .finally(() => {
        expiring = undefined;
      });
  };
  const startRecovery = () => {
    // Rotations left unfinished by a crashed process (this one's predecessor or another replica).
    void sweep();
    sweeper = setInterval(() => void sweep(), Math.max(1000, Math.floor(config.state.leaseTtlMs / 2)));
    sweeper.unref();
    if (config.approvals.required > 0) {
      // Requests that expired undecided: their posts and DMs are closed and the requester told, soon
      // after the expiry (a tenth of the lifetime, between 1 s and 30 s), by one replica each.
      const every = Math.min(30_000, Math.max(1000, Math.floor(config.approvals.ttlMs / 10)));
      expirySweeper = setInterval(sweepExpiries, every);
      expirySweeper.unref();
    }
  };
  return {
    app,
    context,
    followUps,
    metrics,
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
        // Follow the Socket Mode connection for /healthz (Bolt keeps its receiver private).
        const socket = (app as unknown as { receiver?: { client?: SocketEvents } }).receiver?.client;
        socket?.on("connected", () => {
          socketConnected = true;
        });
        // "close": the WebSocket dropped (Slack's disconnect, a network failure); reconnecting starts later.
        for (const state of ["close", "reconnecting", "disconnected"]) {
          socket?.on(state, () => {
            socketConnected = false;
            logger.warn("socket_mode_down", { state });
          });
        }
        await app.start();
        socketConnected = true;
        startRecovery();
        await startTokenChecks();
        logger.info("started", { mode: "socket", command: config.command, healthPort: port });
        return {};
      }
      server = (await app.start({ port, host: options.host ?? config.host })) as Server;
      const bound = (server.address() as AddressInfo).port;
      startRecovery();
      await startTokenChecks();
      logger.info("started", { mode: "http", command: config.command, port: bound });
      return { port: bound };
    },
    async stop() {
      lifecycle.draining = true;
      clearInterval(sweeper);
      clearInterval(expirySweeper);
      clearInterval(tokenChecker);
      unsubscribe();
      const running = context.rotations.size;
      if (running > 0) logger.info("draining", { rotations: running, graceMs: config.state.shutdownGraceMs });
      const left = await context.rotations.settle(config.state.shutdownGraceMs);
      if (left.length > 0) {
        await deps.store.markInterrupted(left, instanceId, Date.now()).catch((error: unknown) => {
          logger.error("journal_interrupt_failed", { error: String(error) });
        });
        logger.warn("rotations_interrupted", { journalIds: left });
      }
      await sweeping;
      await expiring;
      await app.stop();
      await deps.store.close().catch(() => {});
      logger.info("stopped", { interrupted: left.length });
    },
  };
}
