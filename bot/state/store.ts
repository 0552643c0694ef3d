/**
 * The bot's shared state, behind one interface: the rotation journal (write-ahead), leases (locks
 * with an owner and an expiry), four-eyes approvals and the audit history. Implemented over SQLite
 * (one replica) and PostgreSQL (any number of replicas) by the same SQL (sql-store.ts).
 * Only ids, user ids, hosts, outcomes, words and times are stored: never a secret nor anything
 * derived from one. Times are milliseconds since the epoch.
 */

/**
 * Where a rotation got to: `started` (lease held, nothing sent yet), `updating` (the update call
 * was sent, no answer yet), `updated` (Gitpod confirmed the update; not yet verified).
 */
export type JournalPhase = "started" | "updating" | "updated";

/**
 * What is rotated: an OAuth client secret, a service account's host authentication token, or an
 * LLM integration's API key (its rows keep the LLM integration's id in `integrationId` and the
 * endpoint's host in `host`).
 */
export type CredentialKind = "oauth-secret" | "host-token" | "llm-key";

export interface JournalEntry {
  id: string;
  /** Absent on rows written before host tokens existed: an OAuth secret. */
  credential?: CredentialKind;
  /** For an OAuth secret its integration; for a host token the one it is linked to ("" when none). */
  integrationId: string;
  /** The host authentication token rotated (credential "host-token"). */
  tokenId?: string;
  host?: string;
  runnerId?: string;
  scmId?: string;
  /** Slack user id (or e.g. "github-actions"). */
  actor: string;
  source: string;
  /** The bot process that runs the rotation. */
  owner: string;
  phase: JournalPhase;
  approvalId?: string;
  /** The Slack modal showing the rotation's progress, to update after a crash. */
  viewId?: string;
  startedAt: number;
  updatedAt: number;
  /** Set by a shutdown that could not wait for the rotation to finish. */
  interruptedAt?: number;
  finishedAt?: number;
  /** Undefined while unfinished. */
  outcome?: string;
  summary?: string;
  /** Set when the entry was resolved by recovery rather than by its own process. */
  resolvedBy?: string;
}

export type NewJournalEntry = Omit<
  JournalEntry,
  "phase" | "updatedAt" | "interruptedAt" | "finishedAt" | "outcome" | "summary" | "resolvedBy"
>;

export interface Lease {
  key: string;
  /** The bot process holding it. */
  owner: string;
  /** Who it is held for (a Slack user id), for "@alice is rotating github.com since 14:02". */
  holder: string;
  journalId?: string;
  acquiredAt: number;
  expiresAt: number;
}

export type LeaseResult =
  | { acquired: true; lease: Lease }
  /** `holder` is undefined when it was released between the attempt and the look. */
  | { acquired: false; holder?: Lease };

export interface LeaseRequest {
  key: string;
  owner: string;
  holder: string;
  journalId?: string;
  ttlMs: number;
  now: number;
}

export type ApprovalStatus = "pending" | "approved" | "denied" | "expired" | "used";

export interface Approval {
  id: string;
  /** Absent on rows written before host tokens existed: an OAuth secret. */
  credential?: CredentialKind;
  integrationId: string;
  /** The host authentication token to rotate (credential "host-token"). */
  tokenId?: string;
  /** Whose token it is: the service account's id (credential "host-token"). */
  subjectId?: string;
  host?: string;
  /** The credential's runner and SCM, to redraw the request's message (rows before migration 004 lack them). */
  runnerId?: string;
  scmId?: string;
  /**
   * The OAuth client id the rotation was approved for (credential "oauth-secret"): the form is
   * locked to it. Absent on rows written before it was kept.
   */
  clientId?: string;
  requester: string;
  /** Why the requester asks (their words, shown to approvers; escaped wherever shown). */
  reason?: string;
  required: number;
  status: ApprovalStatus;
  createdAt: number;
  expiresAt: number;
  decidedAt?: number;
  usedAt?: number;
  channelId?: string;
  messageTs?: string;
  /** `reason`: a denier's words (escaped wherever shown). */
  votes: Array<{ approver: string; decision: "approve" | "deny"; at: number; reason?: string }>;
  /** Set when the approval is for a `revoke` instead of a rotation (then integrationId is ""). */
  revoke?: RevokeApprovalPlan;
}

/** What a revoke's approvers approve: exactly these host tokens (ids only; never a token value). */
export interface RevokeApprovalPlan {
  host: string;
  /** Whose tokens, in words ("all users", "service account <id>"). */
  selector: string;
  ids: string[];
}

/** What a `revoke` preview showed, kept server-side: its confirm button carries only `id`. */
export interface RevokePreview {
  id: string;
  requester: string;
  host: string;
  /** Whose tokens, in words ("all users", "service account <id>"). */
  selector: string;
  /** The previewed token ids (at most 40). */
  ids: string[];
  createdAt: number;
  expiresAt: number;
  /** Set once a confirmation used it. */
  usedAt?: number;
}

export type NewApproval = Pick<
  Approval,
  | "id"
  | "credential"
  | "integrationId"
  | "tokenId"
  | "subjectId"
  | "host"
  | "runnerId"
  | "scmId"
  | "clientId"
  | "requester"
  | "reason"
  | "required"
  | "createdAt"
  | "expiresAt"
  | "revoke"
>;

export type DecisionResult =
  | { ok: true; approval: Approval }
  | {
      ok: false;
      reason: "not-found" | "own-request" | "already-voted" | "not-pending" | "expired";
      approval?: Approval;
    };

/**
 * Where an approval's message was posted, to update it later (chat.update) from any replica:
 * `request` (the audit channel's post, userId ""), `approver` (an approver's DM) or `requester`
 * (the outcome DM to the requester).
 */
export interface ApprovalMessageRef {
  approvalId: string;
  kind: "request" | "approver" | "requester";
  userId: string;
  channelId: string;
  ts: string;
}

export interface HistoryEvent {
  id: number;
  at: number;
  /** e.g. "rotate", "validate", "approval". */
  action: string;
  actor: string;
  source: string;
  outcome: string;
  integrationId?: string;
  host?: string;
  runnerId?: string;
  scmId?: string;
  target?: string;
  reason?: string;
  journalId?: string;
  approvalId?: string;
  steps?: Array<{ step: string; status: string; detail: string }>;
}

export type NewHistoryEvent = Omit<HistoryEvent, "id">;

export interface HistoryQuery {
  integrationId?: string;
  host?: string;
  limit: number;
  /** Only events older than this id (the next page). */
  beforeId?: number;
}

export interface BotStore {
  readonly kind: "sqlite" | "postgres";
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;

  beginRotation(entry: NewJournalEntry): Promise<void>;
  setRotationPhase(id: string, phase: JournalPhase, now: number): Promise<void>;
  /** Records the outcome; false when the entry was already finished (e.g. resolved by recovery). */
  finishRotation(
    id: string,
    result: { outcome: string; summary: string; now: number; resolvedBy?: string },
  ): Promise<boolean>;
  /** Marks unfinished entries as interrupted and lets their leases expire now (shutdown). */
  markInterrupted(ids: readonly string[], owner: string, now: number): Promise<void>;
  getRotation(id: string): Promise<JournalEntry | undefined>;
  /** Unfinished entries whose lease is no longer held: their process is gone. */
  abandonedRotations(now: number): Promise<JournalEntry[]>;

  /**
   * Takes the lease when it is free or expired. An expired lease whose journal entry is still
   * unfinished is not taken: resolve that entry first (or use `claimAbandoned`).
   */
  acquireLease(request: LeaseRequest): Promise<LeaseResult>;
  /** Takes an expired lease to resolve the unfinished entry `request.journalId` (recovery). */
  claimAbandoned(request: LeaseRequest & { journalId: string }): Promise<boolean>;
  renewLease(key: string, owner: string, ttlMs: number, now: number): Promise<boolean>;
  releaseLease(key: string, owner: string): Promise<void>;
  getLease(key: string): Promise<Lease | undefined>;

  createApproval(approval: NewApproval): Promise<void>;
  getApproval(id: string): Promise<Approval | undefined>;
  setApprovalMessage(id: string, channelId: string, messageTs: string): Promise<void>;
  /** One approver's vote, atomically: the requester cannot vote; enough approvals approve it. */
  decideApproval(vote: {
    id: string;
    approver: string;
    decision: "approve" | "deny";
    now: number;
    /** A denier's words. */
    reason?: string;
  }): Promise<DecisionResult>;
  /**
   * Marks pending approvals past their expiry as expired and returns those this call changed: each
   * is claimed by one conditional update, so of several replicas sweeping at once exactly one gets it.
   */
  expirePendingApprovals(now: number): Promise<Approval[]>;
  /** Records (or replaces) where an approval's message was posted. */
  addApprovalMessage(message: ApprovalMessageRef): Promise<void>;
  approvalMessages(approvalId: string): Promise<ApprovalMessageRef[]>;
  /** Uses an approved approval once (opening the secret form); false when not approved or expired. */
  useApproval(id: string, requester: string, now: number): Promise<boolean>;
  /** Pending approvals not yet past their expiry, oldest first, at most `limit` (the App Home). */
  pendingApprovals(now: number, limit: number): Promise<Approval[]>;

  createRevokePreview(preview: Omit<RevokePreview, "usedAt">): Promise<void>;
  getRevokePreview(id: string): Promise<RevokePreview | undefined>;
  /** Uses a preview once, for its requester, before it expires; false otherwise (already used, expired). */
  useRevokePreview(id: string, requester: string, now: number): Promise<boolean>;

  recordEvent(event: NewHistoryEvent): Promise<void>;
  history(query: HistoryQuery): Promise<HistoryEvent[]>;
  /**
   * Per integration, the newest history row that says whether its stored OAuth secret validated: a
   * `validate` (valid / invalid) or a `rotate` whose verify step ran (rotated / unverified).
   */
  lastValidations(integrationIds: readonly string[]): Promise<HistoryEvent[]>;
}
