/**
 * BotStore over SQL that SQLite and PostgreSQL both accept. Everything that must not race is one
 * statement (the lease upsert) or a transaction holding a row lock (approval votes).
 */
import { type SqlDb, type SqlRunner, type SqlValue, toNumber, toText } from "./db.js";
import type {
  Approval,
  ApprovalMessageRef,
  ApprovalStatus,
  BotStore,
  CredentialKind,
  DecisionResult,
  HistoryEvent,
  HistoryQuery,
  JournalEntry,
  JournalPhase,
  Lease,
  LeaseRequest,
  LeaseResult,
  NewApproval,
  NewHistoryEvent,
  NewJournalEntry,
  RevokeApprovalPlan,
  RevokePreview,
} from "./store.js";

type Row = Record<string, unknown>;

const opt = (value: string | number | undefined): SqlValue => value ?? null;

/** `T` with each field that may be undefined made optional instead: absent, never set to undefined. */
type Defined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** Leaves out the fields whose column is NULL. (`Object.fromEntries` forgets the keys' types.) */
function withDefined<T extends object>(object: T): Defined<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Defined<T>;
}

function credentialFrom(row: Row): CredentialKind {
  const kind = row.credential_kind;
  return kind === "host-token" || kind === "llm-key" ? kind : "oauth-secret";
}

function journalFrom(row: Row): JournalEntry {
  return withDefined({
    id: String(row.id),
    credential: credentialFrom(row),
    integrationId: String(row.integration_id),
    tokenId: toText(row.token_id),
    host: toText(row.host),
    runnerId: toText(row.runner_id),
    scmId: toText(row.scm_id),
    actor: String(row.actor),
    source: String(row.source),
    owner: String(row.owner),
    phase: String(row.phase) as JournalPhase,
    approvalId: toText(row.approval_id),
    viewId: toText(row.view_id),
    startedAt: toNumber(row.started_at) ?? 0,
    updatedAt: toNumber(row.updated_at) ?? 0,
    interruptedAt: toNumber(row.interrupted_at),
    finishedAt: toNumber(row.finished_at),
    outcome: toText(row.outcome),
    summary: toText(row.summary),
    resolvedBy: toText(row.resolved_by),
  });
}

function leaseFrom(row: Row): Lease {
  return withDefined({
    key: String(row.key),
    owner: String(row.owner),
    holder: String(row.holder),
    journalId: toText(row.journal_id),
    acquiredAt: toNumber(row.acquired_at) ?? 0,
    expiresAt: toNumber(row.expires_at) ?? 0,
  });
}

function revokePlanFrom(value: unknown): RevokeApprovalPlan | undefined {
  if (typeof value !== "string") return undefined;
  const plan = JSON.parse(value) as Partial<RevokeApprovalPlan>;
  if (typeof plan.host !== "string" || typeof plan.selector !== "string" || !Array.isArray(plan.ids))
    throw new Error("an approval's revoke_plan is not a revoke plan");
  return { host: plan.host, selector: plan.selector, ids: plan.ids.map(String) };
}

function approvalFrom(row: Row, votes: Row[]): Approval {
  return withDefined({
    id: String(row.id),
    credential: credentialFrom(row),
    integrationId: String(row.integration_id),
    tokenId: toText(row.token_id),
    subjectId: toText(row.subject_id),
    host: toText(row.host),
    runnerId: toText(row.runner_id),
    scmId: toText(row.scm_id),
    clientId: toText(row.client_id),
    requester: String(row.requester),
    reason: toText(row.reason),
    required: toNumber(row.required) ?? 1,
    status: String(row.status) as ApprovalStatus,
    createdAt: toNumber(row.created_at) ?? 0,
    expiresAt: toNumber(row.expires_at) ?? 0,
    decidedAt: toNumber(row.decided_at),
    usedAt: toNumber(row.used_at),
    channelId: toText(row.channel_id),
    messageTs: toText(row.message_ts),
    revoke: revokePlanFrom(row.revoke_plan),
    votes: votes.map((vote) =>
      withDefined({
        approver: String(vote.approver),
        decision: String(vote.decision) as "approve" | "deny",
        at: toNumber(vote.at) ?? 0,
        reason: toText(vote.reason),
      }),
    ),
  });
}

function revokePreviewFrom(row: Row): RevokePreview {
  const ids: unknown = JSON.parse(String(row.token_ids));
  if (!Array.isArray(ids)) throw new Error("a revoke preview's token_ids is not a list");
  return withDefined({
    id: String(row.id),
    requester: String(row.requester),
    host: String(row.host),
    selector: String(row.selector),
    ids: ids.map(String),
    createdAt: toNumber(row.created_at) ?? 0,
    expiresAt: toNumber(row.expires_at) ?? 0,
    usedAt: toNumber(row.used_at),
  });
}

function eventFrom(row: Row): HistoryEvent {
  let steps: HistoryEvent["steps"];
  if (typeof row.steps === "string") {
    try {
      steps = JSON.parse(row.steps) as HistoryEvent["steps"];
    } catch {
      steps = undefined;
    }
  }
  return withDefined({
    id: toNumber(row.id) ?? 0,
    at: toNumber(row.at) ?? 0,
    action: String(row.action),
    actor: String(row.actor),
    source: String(row.source),
    outcome: String(row.outcome),
    integrationId: toText(row.integration_id),
    host: toText(row.host),
    runnerId: toText(row.runner_id),
    scmId: toText(row.scm_id),
    target: toText(row.target),
    reason: toText(row.reason),
    journalId: toText(row.journal_id),
    approvalId: toText(row.approval_id),
    steps,
  });
}

const LEASE_COLUMNS = "key, owner, holder, journal_id, acquired_at, expires_at";
const TAKE_OVER = `ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, holder = excluded.holder,
  journal_id = excluded.journal_id, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`;

/** Integration ids per `lastValidations` statement. */
const VALIDATION_IDS_PER_QUERY = 500;

export class SqlStore implements BotStore {
  readonly kind: "sqlite" | "postgres";

  constructor(private readonly db: SqlDb) {
    this.kind = db.dialect;
  }

  async ping(): Promise<void> {
    await this.db.all("SELECT 1 AS ok");
  }

  close(): Promise<void> {
    return this.db.close();
  }

  // The rotation journal

  async beginRotation(entry: NewJournalEntry): Promise<void> {
    await this.db.run(
      `INSERT INTO rotation_journal (id, credential_kind, integration_id, token_id, host, runner_id, scm_id, actor,
        source, owner, phase, approval_id, view_id, started_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'started', ?, ?, ?, ?)`,
      [
        entry.id,
        entry.credential ?? "oauth-secret",
        entry.integrationId,
        opt(entry.tokenId),
        opt(entry.host),
        opt(entry.runnerId),
        opt(entry.scmId),
        entry.actor,
        entry.source,
        entry.owner,
        opt(entry.approvalId),
        opt(entry.viewId),
        entry.startedAt,
        entry.startedAt,
      ],
    );
  }

  async setRotationPhase(id: string, phase: JournalPhase, now: number): Promise<void> {
    const changed = await this.db.run(
      "UPDATE rotation_journal SET phase = ?, updated_at = ? WHERE id = ? AND outcome IS NULL",
      [phase, now, id],
    );
    if (changed !== 1) throw new Error(`journal entry ${id} is missing or already finished`);
  }

  async finishRotation(
    id: string,
    result: { outcome: string; summary: string; now: number; resolvedBy?: string },
  ): Promise<boolean> {
    const changed = await this.db.run(
      `UPDATE rotation_journal SET outcome = ?, summary = ?, finished_at = ?, updated_at = ?, resolved_by = ?
       WHERE id = ? AND outcome IS NULL`,
      [result.outcome, result.summary, result.now, result.now, opt(result.resolvedBy), id],
    );
    return changed === 1;
  }

  async markInterrupted(ids: readonly string[], owner: string, now: number): Promise<void> {
    for (const id of ids) {
      await this.db.run("UPDATE rotation_journal SET interrupted_at = ? WHERE id = ? AND outcome IS NULL", [
        now,
        id,
      ]);
      await this.db.run("UPDATE leases SET expires_at = ? WHERE journal_id = ? AND owner = ?", [
        now - 1,
        id,
        owner,
      ]);
    }
  }

  async getRotation(id: string): Promise<JournalEntry | undefined> {
    const [row] = await this.db.all<Row>("SELECT * FROM rotation_journal WHERE id = ?", [id]);
    return row ? journalFrom(row) : undefined;
  }

  async abandonedRotations(now: number): Promise<JournalEntry[]> {
    const rows = await this.db.all<Row>(
      `SELECT * FROM rotation_journal j WHERE j.outcome IS NULL
       AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.journal_id = j.id AND l.expires_at >= ?)
       ORDER BY j.started_at`,
      [now],
    );
    return rows.map(journalFrom);
  }

  // Leases

  async acquireLease(request: LeaseRequest): Promise<LeaseResult> {
    const rows = await this.db.all<Row>(
      `INSERT INTO leases (${LEASE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) ${TAKE_OVER}
       WHERE leases.expires_at < ? AND NOT EXISTS (
         SELECT 1 FROM rotation_journal j WHERE j.id = leases.journal_id AND j.outcome IS NULL)
       RETURNING ${LEASE_COLUMNS}`,
      [
        request.key,
        request.owner,
        request.holder,
        opt(request.journalId),
        request.now,
        request.now + request.ttlMs,
        request.now,
      ],
    );
    const [row] = rows;
    if (row) return { acquired: true, lease: leaseFrom(row) };
    const holder = await this.getLease(request.key);
    return holder ? { acquired: false, holder } : { acquired: false };
  }

  async claimAbandoned(request: LeaseRequest & { journalId: string }): Promise<boolean> {
    const rows = await this.db.all<Row>(
      `INSERT INTO leases (${LEASE_COLUMNS})
       SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM rotation_journal WHERE id = ? AND outcome IS NULL)
       ${TAKE_OVER} WHERE leases.expires_at < ?
       RETURNING owner`,
      [
        request.key,
        request.owner,
        request.holder,
        request.journalId,
        request.now,
        request.now + request.ttlMs,
        request.journalId,
        request.now,
      ],
    );
    return rows.length === 1;
  }

  async renewLease(key: string, owner: string, ttlMs: number, now: number): Promise<boolean> {
    const changed = await this.db.run(
      "UPDATE leases SET expires_at = ? WHERE key = ? AND owner = ? AND expires_at >= ?",
      [now + ttlMs, key, owner, now],
    );
    return changed === 1;
  }

  async releaseLease(key: string, owner: string): Promise<void> {
    await this.db.run("DELETE FROM leases WHERE key = ? AND owner = ?", [key, owner]);
  }

  async getLease(key: string): Promise<Lease | undefined> {
    const [row] = await this.db.all<Row>(`SELECT ${LEASE_COLUMNS} FROM leases WHERE key = ?`, [key]);
    return row ? leaseFrom(row) : undefined;
  }

  // Approvals

  async createApproval(approval: NewApproval): Promise<void> {
    await this.db.run(
      `INSERT INTO approvals (id, credential_kind, integration_id, token_id, subject_id, host, runner_id, scm_id,
        client_id, requester, reason, required, status, created_at, expires_at, revoke_plan)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
      [
        approval.id,
        approval.credential ?? "oauth-secret",
        approval.integrationId,
        opt(approval.tokenId),
        opt(approval.subjectId),
        opt(approval.host),
        opt(approval.runnerId),
        opt(approval.scmId),
        opt(approval.clientId),
        approval.requester,
        opt(approval.reason),
        approval.required,
        approval.createdAt,
        approval.expiresAt,
        opt(approval.revoke ? JSON.stringify(approval.revoke) : undefined),
      ],
    );
  }

  async #readApproval(runner: SqlRunner, id: string, forUpdate = false): Promise<Approval | undefined> {
    const lock = forUpdate && this.db.dialect === "postgres" ? " FOR UPDATE" : "";
    const [row] = await runner.all<Row>(`SELECT * FROM approvals WHERE id = ?${lock}`, [id]);
    if (!row) return undefined;
    const votes = await runner.all<Row>(
      "SELECT approver, decision, at, reason FROM approval_votes WHERE approval_id = ? ORDER BY at, approver",
      [id],
    );
    return approvalFrom(row, votes);
  }

  getApproval(id: string): Promise<Approval | undefined> {
    return this.#readApproval(this.db, id);
  }

  async setApprovalMessage(id: string, channelId: string, messageTs: string): Promise<void> {
    await this.db.run("UPDATE approvals SET channel_id = ?, message_ts = ? WHERE id = ?", [
      channelId,
      messageTs,
      id,
    ]);
  }

  decideApproval(vote: {
    id: string;
    approver: string;
    decision: "approve" | "deny";
    now: number;
    reason?: string;
  }): Promise<DecisionResult> {
    return this.db.transaction(async (tx) => {
      const approval = await this.#readApproval(tx, vote.id, true);
      if (!approval) return { ok: false, reason: "not-found" };
      if (approval.requester === vote.approver) return { ok: false, reason: "own-request", approval };
      if (approval.status === "pending" && vote.now > approval.expiresAt) {
        await tx.run("UPDATE approvals SET status = 'expired', decided_at = ? WHERE id = ?", [
          vote.now,
          vote.id,
        ]);
        return { ok: false, reason: "expired", approval: { ...approval, status: "expired" } };
      }
      if (approval.status !== "pending") return { ok: false, reason: "not-pending", approval };
      if (approval.votes.some((existing) => existing.approver === vote.approver))
        return { ok: false, reason: "already-voted", approval };
      await tx.run(
        "INSERT INTO approval_votes (approval_id, approver, decision, at, reason) VALUES (?, ?, ?, ?, ?)",
        [vote.id, vote.approver, vote.decision, vote.now, opt(vote.reason)],
      );
      const approvals =
        approval.votes.filter((existing) => existing.decision === "approve").length +
        (vote.decision === "approve" ? 1 : 0);
      const status: ApprovalStatus =
        vote.decision === "deny" ? "denied" : approvals >= approval.required ? "approved" : "pending";
      if (status !== "pending") {
        await tx.run("UPDATE approvals SET status = ?, decided_at = ? WHERE id = ?", [
          status,
          vote.now,
          vote.id,
        ]);
      }
      const updated = await this.#readApproval(tx, vote.id);
      return { ok: true, approval: updated ?? approval };
    });
  }

  async useApproval(id: string, requester: string, now: number): Promise<boolean> {
    const changed = await this.db.run(
      `UPDATE approvals SET status = 'used', used_at = ?
       WHERE id = ? AND requester = ? AND status = 'approved' AND expires_at >= ?`,
      [now, id, requester, now],
    );
    return changed === 1;
  }

  async pendingApprovals(now: number, limit: number): Promise<Approval[]> {
    const rows = await this.db.all<Row>(
      "SELECT id FROM approvals WHERE status = 'pending' AND expires_at >= ? ORDER BY created_at, id LIMIT ?",
      [now, limit],
    );
    const approvals: Approval[] = [];
    for (const row of rows) {
      const approval = await this.getApproval(String(row.id));
      if (approval) approvals.push(approval);
    }
    return approvals;
  }

  async expirePendingApprovals(now: number): Promise<Approval[]> {
    const due = await this.db.all<Row>(
      "SELECT id FROM approvals WHERE status = 'pending' AND expires_at < ? ORDER BY expires_at",
      [now],
    );
    const claimed: Approval[] = [];
    for (const row of due) {
      const id = String(row.id);
      // The status change is the claim: a vote or another replica that got there first wins.
      const changed = await this.db.run(
        "UPDATE approvals SET status = 'expired', decided_at = ? WHERE id = ? AND status = 'pending' AND expires_at < ?",
        [now, id, now],
      );
      if (changed !== 1) continue;
      const approval = await this.getApproval(id);
      if (approval) claimed.push(approval);
    }
    return claimed;
  }

  async addApprovalMessage(message: ApprovalMessageRef): Promise<void> {
    await this.db.run(
      `INSERT INTO approval_messages (approval_id, kind, user_id, channel_id, ts) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (approval_id, kind, user_id) DO UPDATE SET channel_id = excluded.channel_id, ts = excluded.ts`,
      [message.approvalId, message.kind, message.userId, message.channelId, message.ts],
    );
  }

  async approvalMessages(approvalId: string): Promise<ApprovalMessageRef[]> {
    const rows = await this.db.all<Row>(
      "SELECT approval_id, kind, user_id, channel_id, ts FROM approval_messages WHERE approval_id = ? ORDER BY kind, user_id",
      [approvalId],
    );
    return rows.map((row) => ({
      approvalId: String(row.approval_id),
      kind: String(row.kind) as ApprovalMessageRef["kind"],
      userId: String(row.user_id),
      channelId: String(row.channel_id),
      ts: String(row.ts),
    }));
  }

  // Revoke previews

  async createRevokePreview(preview: Omit<RevokePreview, "usedAt">): Promise<void> {
    await this.db.run(
      `INSERT INTO revoke_previews (id, requester, host, selector, token_ids, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [
        preview.id,
        preview.requester,
        preview.host,
        preview.selector,
        JSON.stringify(preview.ids),
        preview.createdAt,
        preview.expiresAt,
      ],
    );
  }

  async getRevokePreview(id: string): Promise<RevokePreview | undefined> {
    const [row] = await this.db.all<Row>("SELECT * FROM revoke_previews WHERE id = ?", [id]);
    return row ? revokePreviewFrom(row) : undefined;
  }

  async useRevokePreview(id: string, requester: string, now: number): Promise<boolean> {
    const changed = await this.db.run(
      `UPDATE revoke_previews SET used_at = ?
       WHERE id = ? AND requester = ? AND used_at IS NULL AND expires_at >= ?`,
      [now, id, requester, now],
    );
    return changed === 1;
  }

  // History

  async recordEvent(event: NewHistoryEvent): Promise<void> {
    await this.db.run(
      `INSERT INTO audit_events (at, action, actor, source, outcome, integration_id, host, runner_id, scm_id,
        target, reason, journal_id, approval_id, steps) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        event.at,
        event.action,
        event.actor,
        event.source,
        event.outcome,
        opt(event.integrationId),
        opt(event.host?.toLowerCase()),
        opt(event.runnerId),
        opt(event.scmId),
        opt(event.target),
        opt(event.reason),
        opt(event.journalId),
        opt(event.approvalId),
        event.steps ? JSON.stringify(event.steps) : null,
      ],
    );
  }

  async history(query: HistoryQuery): Promise<HistoryEvent[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (query.integrationId) {
      where.push("integration_id = ?");
      params.push(query.integrationId);
    }
    if (query.host) {
      where.push("host = ?");
      params.push(query.host.toLowerCase());
    }
    if (query.beforeId !== undefined) {
      where.push("id < ?");
      params.push(query.beforeId);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
    params.push(query.limit);
    const rows = await this.db.all<Row>(
      `SELECT * FROM audit_events ${clause} ORDER BY id DESC LIMIT ?`,
      params,
    );
    return rows.map(eventFrom);
  }

  async lastValidations(integrationIds: readonly string[]): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    // In slices: one statement's parameters stay far below SQLite's and PostgreSQL's limits.
    for (let start = 0; start < integrationIds.length; start += VALIDATION_IDS_PER_QUERY) {
      const slice = integrationIds.slice(start, start + VALIDATION_IDS_PER_QUERY);
      const rows = await this.db.all<Row>(
        `SELECT * FROM audit_events WHERE id IN (
           SELECT MAX(id) FROM audit_events
           WHERE integration_id IN (${slice.map(() => "?").join(", ")})
             AND ((action = 'validate' AND outcome IN ('valid', 'invalid'))
               OR (action = 'rotate' AND outcome IN ('rotated', 'unverified')))
           GROUP BY integration_id)`,
        [...slice],
      );
      events.push(...rows.map(eventFrom));
    }
    return events;
  }
}
