-- Idempotency-Key bound to the request it was first used with (route, game, body):
-- the same key with another request is refused instead of replaying (NULL: rows
-- stored before this migration, honoured for any request of their player and key).
ALTER TABLE idempotency ADD COLUMN fingerprint text;
