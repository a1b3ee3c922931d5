-- Issue 12: clocks and deadlines.
-- clock_state: a timed game's clocks as its last state change left them, in the shape
--   of the API's ClockState ({"remainingMs":[ms, ms], "running": seat|null, "at": ISO}):
--   the running side has been counting down since "at" (a commit's time). NULL: untimed,
--   or not started yet (an open seat).
-- flag_at: the game's next deadline, whatever ends it when nothing happens first: a
--   timed game's flag (the running side's time out, plus the lag allowance), an untimed
--   game's idle expiry, an open seat's expiry. NULL once finished. Every replica's flag
--   scheduler looks here (games/clock/scheduler.ts), hence the partial index.
ALTER TABLE games ADD COLUMN clock_state jsonb, ADD COLUMN flag_at timestamptz;
CREATE INDEX games_flag_at ON games (flag_at) WHERE flag_at IS NOT NULL;

-- Games already under way: timed ones start their clocks now (no time was measured
-- before), the others get the default expiry (30 minutes) from their last activity.
UPDATE games SET clock_state = jsonb_build_object(
    'remainingMs', jsonb_build_array((clock->>'initialSeconds')::int * 1000, (clock->>'initialSeconds')::int * 1000),
    'running', turn,
    'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
  WHERE status = 'active' AND clock IS NOT NULL;
UPDATE games SET flag_at = CASE
    WHEN clock_state IS NOT NULL THEN now() + (clock->>'initialSeconds')::int * interval '1 second'
    ELSE updated_at + interval '30 minutes' END
  WHERE status <> 'finished';
