-- The bot's state: rotation journal, leases, approvals and the audit history.
-- Times are milliseconds since the epoch (UTC). No secret, nor anything derived from one, is stored.

CREATE TABLE rotation_journal (
  id TEXT PRIMARY KEY,
  integration_id TEXT NOT NULL,
  host TEXT,
  runner_id TEXT,
  scm_id TEXT,
  actor TEXT NOT NULL,
  source TEXT NOT NULL,
  owner TEXT NOT NULL,
  phase TEXT NOT NULL,
  approval_id TEXT,
  view_id TEXT,
  started_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  interrupted_at BIGINT,
  finished_at BIGINT,
  outcome TEXT,
  summary TEXT,
  resolved_by TEXT
);
CREATE INDEX rotation_journal_unfinished ON rotation_journal (integration_id) WHERE outcome IS NULL;
CREATE INDEX rotation_journal_by_integration ON rotation_journal (integration_id, started_at);

CREATE TABLE leases (
  key TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  holder TEXT NOT NULL,
  journal_id TEXT,
  acquired_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);

CREATE TABLE approvals (
  id TEXT PRIMARY KEY,
  integration_id TEXT NOT NULL,
  host TEXT,
  requester TEXT NOT NULL,
  required INTEGER NOT NULL,
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  decided_at BIGINT,
  used_at BIGINT,
  channel_id TEXT,
  message_ts TEXT
);

CREATE TABLE approval_votes (
  approval_id TEXT NOT NULL REFERENCES approvals (id),
  approver TEXT NOT NULL,
  decision TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (approval_id, approver)
);

CREATE TABLE audit_events (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at BIGINT NOT NULL,
  action TEXT NOT NULL,
  actor TEXT NOT NULL,
  source TEXT NOT NULL,
  outcome TEXT NOT NULL,
  integration_id TEXT,
  host TEXT,
  runner_id TEXT,
  scm_id TEXT,
  target TEXT,
  reason TEXT,
  journal_id TEXT,
  approval_id TEXT,
  steps TEXT
);
CREATE INDEX audit_events_by_integration ON audit_events (integration_id, id);
CREATE INDEX audit_events_by_host ON audit_events (host, id);
