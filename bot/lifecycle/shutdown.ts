/**
 * Graceful shutdown (SIGTERM, a rolling deploy): stop taking commands ("restarting"), let running
 * rotations finish within BOT_SHUTDOWN_GRACE_MS, journal the rest as interrupted so another replica
 * or the next start recovers them, then stop the app and close the store.
 */
import type { App } from "@slack/bolt";
import type { BotContext } from "../context.js";

/** Work of the process's own that must stop first and may still be running. */
interface BackgroundWork {
  stop(): void;
  finished?(): Promise<void>;
}

export async function shutDownGracefully(
  app: App,
  context: BotContext,
  background: readonly BackgroundWork[],
): Promise<void> {
  const { config, logger, store } = context;
  context.lifecycle.draining = true;
  for (const work of background) work.stop();
  const running = context.rotations.size;
  if (running > 0) logger.info("draining", { rotations: running, graceMs: config.state.shutdownGraceMs });
  const left = await context.rotations.settle(config.state.shutdownGraceMs);
  if (left.length > 0) {
    await store.markInterrupted(left, context.instanceId, Date.now()).catch((error: unknown) => {
      logger.error("journal_interrupt_failed", { error: String(error) });
    });
    logger.warn("rotations_interrupted", { journalIds: left });
  }
  for (const work of background) await work.finished?.();
  await app.stop();
  await store.close().catch(() => {});
  logger.info("stopped", { interrupted: left.length });
}
