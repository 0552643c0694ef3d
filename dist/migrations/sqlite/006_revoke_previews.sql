-- `revoke` previews (issue 20): the token ids a preview showed are kept here, not in the confirm
-- button (which carries only the preview's id), and a confirmation uses its preview once.
CREATE TABLE revoke_previews (
  id TEXT PRIMARY KEY,
  requester TEXT NOT NULL,
  host TEXT NOT NULL,
  selector TEXT NOT NULL,
  token_ids TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
