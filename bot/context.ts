/** Everything a handler needs, built once per bot by createBot. */
import type { KeyedLock } from "../shared/rotation/lock.js";
import type { Approvers } from "./approvals/approvers.js";
import type { Auditor } from "./audit-trail.js";
import type { Authorizer } from "./authorization.js";
import type { BotConfig } from "./config.js";
import type { BotGitpodApi } from "./gitpod/reads.js";
import type { JsonLogger } from "./logger.js";
import type { RunningRotations } from "./rotations/running.js";
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
