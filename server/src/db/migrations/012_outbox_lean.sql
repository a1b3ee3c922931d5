-- Issue 28 (the move's statement, the event stored twice): a game event's data is kept
-- in `events` only; its outbox row carries none and the relay reads it from there
-- (outbox/relay.ts). Lobby rows keep their data (they have no other home).
-- Metadata only: no rewrite, safe with rows in the table.
ALTER TABLE outbox ALTER COLUMN data DROP NOT NULL;
-- Published rows are now deleted when marked instead of updated (no new tuple, no index
-- entries, no prune): the primary key finds the unpublished rows in id order, so this
-- partial index only cost an entry per row. The floor's index (008) stays.
DROP INDEX IF EXISTS outbox_unpublished;
