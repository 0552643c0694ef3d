/**
 * The audit trail: one JSON log line, one row of history in the store and one message in the audit
 * channel per event. The log line is written first so the record survives a failing store or Slack.
 */
import { type AuditRecord, formatAuditRecord } from "../shared/slack/audit-record.js";
import type { JsonLogger } from "./logger.js";
import type { SlackPoster } from "./slack/web-api.js";
import type { BotStore } from "./state/store.js";

/** What goes into the history: an audit record, or e.g. a validation ("valid" / "invalid"). */
export type HistoryRecord = Omit<AuditRecord, "outcome"> & { outcome: string };

export class Auditor {
  constructor(
    private readonly slack: SlackPoster,
    private readonly channelId: string,
    private readonly logger: JsonLogger,
    private readonly store?: BotStore,
    /** Sees every audit record (the metrics count rotations by outcome). */
    private readonly observe?: (record: AuditRecord) => void,
  ) {}

  /** `options.threadTs`: post as a reply under that audit-channel message (an approval's request). */
  async record(record: AuditRecord, options: { threadTs?: string } = {}): Promise<void> {
    this.logger.info("audit", { ...record });
    this.observe?.(record);
    await this.remember(record);
    const message = formatAuditRecord(record);
    try {
      await this.slack.chat.postMessage({
        channel: this.channelId,
        text: message.text,
        blocks: message.blocks,
        ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
      });
    } catch (error) {
      this.logger.error("audit_post_failed", { channel: this.channelId, error });
    }
  }

  /** Into the history only (e.g. a validation someone ran), without a post to the audit channel. */
  async remember(record: HistoryRecord): Promise<void> {
    if (!this.store) return;
    try {
      await this.store.recordEvent({
        at: Date.parse(record.at) || Date.now(),
        action: record.action,
        actor: record.actor,
        source: record.source,
        outcome: record.outcome,
        ...(record.integrationId ? { integrationId: record.integrationId } : {}),
        ...(record.host ? { host: record.host } : {}),
        ...(record.runnerId ? { runnerId: record.runnerId } : {}),
        ...(record.scmId ? { scmId: record.scmId } : {}),
        ...(record.target ? { target: record.target } : {}),
        ...(record.reason ? { reason: record.reason } : {}),
        ...(record.journalId ? { journalId: record.journalId } : {}),
        ...(record.approvalId ? { approvalId: record.approvalId } : {}),
        ...(record.steps ? { steps: record.steps } : {}),
      });
    } catch (error) {
      this.logger.error("history_write_failed", { action: record.action, error });
    }
  }
}
