/**
 * The audit trail of rotate attempts: one JSON log line and one message in the audit channel per
 * attempt. Posting to Slack can fail; the log line is written first so the record is never lost.
 */
import { type AuditRecord, formatAuditRecord } from "../shared/slack/audit-record.js";
import type { JsonLogger } from "./logger.js";
import type { SlackPoster } from "./slack-api.js";

export class Auditor {
  constructor(
    private readonly slack: SlackPoster,
    private readonly channelId: string,
    private readonly logger: JsonLogger,
  ) {}

  async record(record: AuditRecord): Promise<void> {
    this.logger.info("audit", { ...record });
    const message = formatAuditRecord(record);
    try {
      await this.slack.chat.postMessage({
        channel: this.channelId,
        text: message.text,
        blocks: message.blocks,
      });
    } catch (error) {
      this.logger.error("audit_post_failed", { channel: this.channelId, error });
    }
  }
}
