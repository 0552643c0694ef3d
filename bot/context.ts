/** Everything a handler needs, built once per bot by buildContext. */

import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { App } from "@slack/bolt";
import { KeyedLock } from "../shared/rotation/lock.js";
import { Approvers } from "./approvals/approvers.js";
import { Auditor } from "./audit-trail.js";
import { Authorizer } from "./authorization.js";
import { type BotConfig, runnerLabels } from "./config.js";
import type { BotGitpodApi } from "./gitpod/reads.js";
import type { JsonLogger } from "./logger.js";
import type { RunningRotations } from "./rotations/running.js";
import type { BotServices } from "./services.js";
import type { SlackMessages, SlackPoster, SlackViews } from "./slack/web-api.js";
import type { BotStore } from "./state/store.js";

export interface BotContext {
  config: BotConfig;
  gitpod: BotGitpodApi;
  slack: SlackPoster & SlackViews & SlackMessages;
  authorizer: Authorizer;
  auditor: Auditor;
  logger: JsonLogger;
  lock: KeyedLock;
  runnerIds: string[];
  runnerLabels: Record<string, string>;
  now: () => Date;
  /** Shared state: journal, leases, approvals, history. */
  store: BotStore;
  /** This process, as owner of journal entries and leases (unique per start). */
  instanceId: string;
  rotations: RunningRotations;
  /** Set on SIGTERM: new commands are answered "restarting". */
  lifecycle: { draining: boolean };
  /** Who may approve rotations (four-eyes). */
  approvers: Approvers;
}

/** What createBot's caller may set (BotDeps); the rest has defaults. */
interface ContextDeps {
  gitpod: BotGitpodApi;
  instanceId?: string;
  lock?: KeyedLock;
  now?: () => Date;
  usergroupCacheMs?: number;
}

export function buildContext(
  config: BotConfig,
  deps: ContextDeps,
  services: BotServices,
  app: App,
): BotContext {
  const { logger, metrics, store } = services;
  // Every Web API call the bot makes goes through this (the capped 429 wait).
  const slack = services.slackLimits.wrap(app.client);
  const usergroupCacheMs = deps.usergroupCacheMs ?? 60_000;
  return {
    config,
    gitpod: deps.gitpod,
    slack,
    authorizer: new Authorizer(config.authorization, slack, usergroupCacheMs),
    auditor: new Auditor(slack, config.auditChannelId, logger, store, (record) =>
      metrics.audited(record.action, record.outcome),
    ),
    logger,
    lock: deps.lock ?? new KeyedLock(),
    runnerIds: config.runners.map((runner) => runner.id),
    runnerLabels: runnerLabels(config),
    now: deps.now ?? (() => new Date()),
    store,
    instanceId: deps.instanceId ?? `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`,
    rotations: services.rotations,
    lifecycle: services.lifecycle,
    approvers: new Approvers(config.approvals.approverIds, slack, usergroupCacheMs),
  };
}
