-- Issue 26, chat with manners: a player's report of another player's chat in a game,
-- kept for moderators. One report per reporter, reported player and game (reporting
-- again answers the first report); the line reported (its event seq and text) when named.
CREATE TABLE chat_reports (
  id           uuid PRIMARY KEY,
  game_id      uuid NOT NULL REFERENCES games (id),
  reporter_id  uuid NOT NULL REFERENCES players (id),
  reported_id  uuid NOT NULL REFERENCES players (id),
  seq          integer,
  text         text,
  reason       text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (reporter_id, reported_id, game_id)
);
-- Moderators read the reports against a player, newest first.
CREATE INDEX chat_reports_reported ON chat_reports (reported_id, created_at DESC);
