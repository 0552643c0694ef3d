-- Four-eyes approval of an OAuth secret rotation (issue 20): the approval holds the OAuth client id
-- the approvers saw, so the rotation it allows stores exactly that app. NULL for older rows, for
-- host tokens and for revokes.
ALTER TABLE approvals ADD COLUMN client_id TEXT;
