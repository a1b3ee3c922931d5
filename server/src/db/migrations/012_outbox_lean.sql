-- Issue 28 (the move's statement, the event stored twice): a game event's data is kept
-- in `events` only; its outbox row carries none and the relay reads it from there
-- (outbox/relay.ts). Lobby rows keep their data (they have no other home).
-- Metadata only: no rewrite, safe with rows in the table.
ALTER TABLE outbox ALTER COLUMN data DROP NOT NULL;
-- Published rows are now deleted when marked instead of updated (no new tuple, no index
-- entries, no prune). The rows an older build marked and kept (up to an hour of them)
-- go now: row locks only, beside live inserts. Then the primary key finds the unpublished
-- rows in id order, and the partial index on id only cost an entry per row. The floor's
-- index (008) stays.
DELETE FROM outbox WHERE published_at IS NOT NULL;
DROP INDEX IF EXISTS outbox_unpublished;
