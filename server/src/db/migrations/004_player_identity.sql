-- Issue 15, identity: sign-out revokes a player's tokens by bumping token_version (the
-- auth guard compares it with the token's `ver` on every request, on every replica);
-- display names are kept apart by name_key (case-folded confusable skeleton), looked up
-- among names taken recently (name_at).
ALTER TABLE players ADD COLUMN token_version integer NOT NULL DEFAULT 0;
ALTER TABLE players ADD COLUMN name_key text;
ALTER TABLE players ADD COLUMN name_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX players_name_key ON players (name_key, name_at) WHERE kind = 'human';
