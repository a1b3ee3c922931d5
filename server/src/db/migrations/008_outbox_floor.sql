-- Issue 22: the outbox relay publishes each game row with its game's floor, the lowest
-- unpublished seq of the game (outbox/relay.ts): one index probe per row.
CREATE INDEX outbox_unpublished_topic ON outbox (topic, seq) WHERE published_at IS NULL;
