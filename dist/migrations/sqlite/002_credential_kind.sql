-- A rotation or approval is about an OAuth client secret (an SCM integration) or a service
-- account's host authentication token. Rows written before this migration are OAuth secrets.
-- For a host token, integration_id holds the integration the token is linked to ('' when none).

ALTER TABLE rotation_journal ADD COLUMN credential_kind TEXT NOT NULL DEFAULT 'oauth-secret';
ALTER TABLE rotation_journal ADD COLUMN token_id TEXT;

ALTER TABLE approvals ADD COLUMN credential_kind TEXT NOT NULL DEFAULT 'oauth-secret';
ALTER TABLE approvals ADD COLUMN token_id TEXT;
-- The service account whose token it is (an id, for the approval's messages).
ALTER TABLE approvals ADD COLUMN subject_id TEXT;
