/**
 * The bot's periodic upkeep of shared state: rotations left unfinished by a crashed process (this
 * one's predecessor or another replica) are recovered, and approval requests that expired undecided
 * have their posts and DMs closed and the requester told, by one replica each.
 */
import { sweepExpiredApprovals } from "../approvals/flow.js";
import type { BotContext } from "../context.js";
import { recoverAbandoned } from "../rotations/recovery.js";

export class BackgroundSweeps {
  #recoveryTimer: NodeJS.Timeout | undefined;
  #expiryTimer: NodeJS.Timeout | undefined;
  #recovering: Promise<unknown> = Promise.resolve();
  #expiring: Promise<unknown> | undefined;

  constructor(private readonly context: BotContext) {}

  start(): void {
    const { config } = this.context;
    void this.#recover();
    this.#recoveryTimer = setInterval(
      () => void this.#recover(),
      Math.max(1000, Math.floor(config.state.leaseTtlMs / 2)),
    );
    this.#recoveryTimer.unref();
    if (config.approvals.required > 0) {
      // Soon after the expiry: a tenth of the lifetime, between 1 s and 30 s.
      const every = Math.min(30_000, Math.max(1000, Math.floor(config.approvals.ttlMs / 10)));
      this.#expiryTimer = setInterval(() => this.#closeExpired(), every);
      this.#expiryTimer.unref();
    }
  }

  /** No new sweeps from now on; one already running goes on (see finished()). */
  stop(): void {
    clearInterval(this.#recoveryTimer);
    clearInterval(this.#expiryTimer);
  }

  /** Resolves once the sweeps running now have ended. */
  async finished(): Promise<void> {
    await this.#recovering;
    await this.#expiring;
  }

  #recover(): Promise<unknown> {
    this.#recovering = recoverAbandoned(this.context).catch((error: unknown) => {
      this.context.logger.error("recovery_sweep_failed", { error: String(error) });
    });
    return this.#recovering;
  }

  #closeExpired(): void {
    // One sweep at a time in this process: a slow Slack must not pile sweeps up.
    this.#expiring ??= sweepExpiredApprovals(this.context)
      .catch((error: unknown) => {
        this.context.logger.error("approval_expiry_sweep_failed", { error: String(error) });
      })
      .finally(() => {
        this.#expiring = undefined;
      });
  }
}
