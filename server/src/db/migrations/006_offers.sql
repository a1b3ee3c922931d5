-- Issue 12 (offers): open draw / takeback / rematch offers and the agreed rematch.
-- offers: {"draw": {"seat": 0, "seq": 7, "until": 5}, "takeback": {...}, "rematch": {"seat": 1}}
-- A draw or takeback offer is open while the game is active and move_count < until
-- (server/src/games/commands/offers-state.ts), so a move makes it lapse without the
-- move path writing anything here.
ALTER TABLE games ADD COLUMN offers jsonb;
-- The game a rematch offer became (set once, under the game's row lock: one rematch).
ALTER TABLE games ADD COLUMN rematch_id uuid REFERENCES games (id);
