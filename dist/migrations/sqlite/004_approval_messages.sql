-- Approvals that reach people (issue 25): the requester's reason, a denier's reason, the credential's
-- runner and SCM (so any replica can redraw the request), and where each approval message was posted
-- (the request in the audit channel, each approver's DM, the requester's DM) so it can be updated
-- later with chat.update, also by another replica. Reasons are people's words; never a secret.
ALTER TABLE approvals ADD COLUMN reason TEXT;
ALTER TABLE approvals ADD COLUMN runner_id TEXT;
ALTER TABLE approvals ADD COLUMN scm_id TEXT;
ALTER TABLE approval_votes ADD COLUMN reason TEXT;

-- kind: 'request' (user_id ''), 'approver' or 'requester' (user_id the person the DM went to).
CREATE TABLE approval_messages (
  approval_id TEXT NOT NULL REFERENCES approvals (id),
  kind TEXT NOT NULL,
  user_id TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  ts TEXT NOT NULL,
  PRIMARY KEY (approval_id, kind, user_id)
);
