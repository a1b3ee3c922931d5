-- Issue 27, the post-game review: one row per finished game, written once. A replica
-- claims a pending review (claimed_until, FOR UPDATE SKIP LOCKED), computes it in its AI
-- worker threads and stores it (status 'done'); a done review is never computed again,
-- by this replica or another, before or after a restart. attempts bounds retries of a
-- review whose computation keeps failing ('failed').
CREATE TABLE game_reviews (
  game_id        uuid PRIMARY KEY REFERENCES games (id),
  status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
  review         jsonb,
  error          text,
  attempts       integer NOT NULL DEFAULT 0,
  claimed_until  timestamptz,
  requested_at   timestamptz NOT NULL DEFAULT now(),
  done_at        timestamptz
);
CREATE INDEX game_reviews_pending ON game_reviews (requested_at) WHERE status = 'pending';
