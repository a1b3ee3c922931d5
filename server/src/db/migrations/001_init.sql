-- Monkeytown schema v1. Runs unchanged on Postgres 15+ and PGlite.

CREATE TABLE players (
  id          uuid PRIMARY KEY,
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('human', 'agent')),
  agent_id    text UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Glicko-2 per player and game type. Rows appear when a player first sits at a game.
CREATE TABLE ratings (
  player_id   uuid NOT NULL REFERENCES players (id),
  game_type   text NOT NULL,
  rating      double precision NOT NULL DEFAULT 1500,
  rd          double precision NOT NULL DEFAULT 350,
  vol         double precision NOT NULL DEFAULT 0.06,
  games       integer NOT NULL DEFAULT 0,
  wins        integer NOT NULL DEFAULT 0,
  losses      integer NOT NULL DEFAULT 0,
  draws       integer NOT NULL DEFAULT 0,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (player_id, game_type)
);
CREATE INDEX ratings_leaderboard ON ratings (game_type, rating DESC, player_id);

CREATE TABLE games (
  id               uuid PRIMARY KEY,
  type             text NOT NULL,
  status           text NOT NULL CHECK (status IN ('open', 'active', 'finished')),
  rated            boolean NOT NULL,
  -- seq: sequence number of the game's last event (every event bumps it).
  -- state_seq: seq of the last event that changed the board or the seats; a move's
  -- expectedSeq is current when state_seq <= expectedSeq <= seq (chat does not make it stale).
  seq              integer NOT NULL DEFAULT 0,
  state_seq        integer NOT NULL DEFAULT 0,
  state            jsonb NOT NULL,
  turn             smallint,
  move_count       integer NOT NULL DEFAULT 0,
  result           jsonb,
  player0_id       uuid REFERENCES players (id),
  player1_id       uuid REFERENCES players (id),
  created_by       uuid NOT NULL REFERENCES players (id),
  clock            jsonb,
  -- An agent owes a move from ai_due_at on; a replica owns the turn until ai_claimed_until.
  ai_due_at        timestamptz,
  ai_claimed_until timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX games_lobby ON games (updated_at DESC, id DESC);
CREATE INDEX games_lobby_status ON games (status, updated_at DESC, id DESC);
CREATE INDEX games_player0 ON games (player0_id, updated_at DESC);
CREATE INDEX games_player1 ON games (player1_id, updated_at DESC);
CREATE INDEX games_ai_due ON games (ai_due_at) WHERE ai_due_at IS NOT NULL;

CREATE TABLE moves (
  game_id      uuid NOT NULL REFERENCES games (id),
  move_number  integer NOT NULL,
  seq          integer NOT NULL,
  seat         smallint NOT NULL,
  player_id    uuid NOT NULL REFERENCES players (id),
  move         jsonb NOT NULL,
  reason       text,
  at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (game_id, move_number)
);

-- Every event of every game, for GET /api/games/:id/events (replays, resync).
CREATE TABLE events (
  game_id  uuid NOT NULL REFERENCES games (id),
  seq      integer NOT NULL,
  kind     text NOT NULL,
  data     jsonb NOT NULL,
  at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (game_id, seq)
);

-- A replayed request with the same Idempotency-Key gets the stored response.
CREATE TABLE idempotency (
  player_id   uuid NOT NULL REFERENCES players (id),
  key         text NOT NULL,
  game_id     uuid NOT NULL REFERENCES games (id),
  route       text NOT NULL,
  status      integer NOT NULL,
  response    jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (player_id, key)
);

-- Transactional outbox: written with the event, published to the bus by the relay.
CREATE TABLE outbox (
  id            bigserial PRIMARY KEY,
  topic         text NOT NULL,
  seq           integer NOT NULL,
  kind          text NOT NULL,
  data          jsonb NOT NULL,
  at            timestamptz NOT NULL DEFAULT now(),
  published_at  timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
