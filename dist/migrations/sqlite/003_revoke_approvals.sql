-- Four-eyes approval of a `revoke` (issue 15): the approval holds exactly what the approvers saw
-- (host, whose tokens, the token ids) as JSON, so exactly that is deleted. NULL for rotations.
ALTER TABLE approvals ADD COLUMN revoke_plan TEXT;
