-- Issue 12, ratings people trust: each rated finished game keeps how it moved each
-- player's rating (a RatingChange[]: seat, playerId, before, after, rounded), written by
-- its own statement in the finishing transaction; NULL for unrated or unfinished games.
ALTER TABLE games ADD COLUMN rating_changes jsonb;

-- Ratings with RD > 110 are provisional and kept off the leaderboard. The troop's
-- ratings are priors from each agent's strength (seeded at RD 200 until now); agents
-- are fixed-strength anchors that play many games, so they start established (RD 100,
-- as players/service.ts seeds them now) and the leaderboard is the troop on day one.
UPDATE ratings SET rd = 100
FROM players p
WHERE p.id = ratings.player_id AND p.kind = 'agent' AND ratings.rd > 100;

-- The leaderboard reads established ratings only, best first.
CREATE INDEX ratings_established ON ratings (game_type, rating DESC, player_id) WHERE rd <= 110;
