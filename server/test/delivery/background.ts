// The other games: `slots` connect-four games between guests, played at random at the
// same time as the hot game, each move on the other replica than the last; a finished
// game is followed by a new one in its slot until told to stop. They load both
// replicas, Postgres and Redis, and fill the lobby with rows from both replicas.
import { call, guest, inPool, pick, sleep, unexpected, type Player } from './rest.js';

export interface Background {
  /** Games played to the end. */
  games: number;
  moves: number;
  /** Answers a player would notice (none may happen). */
  errors: string[];
}

export async function backgroundPlayers(gs: readonly string[], slots: number): Promise<[Player, Player][]> {
  const all = await inPool(Array.from({ length: slots * 2 }), 8, (_, i) => guest(gs[i % gs.length]!, `Bg${i}`));
  return Array.from({ length: slots }, (_, s) => [all[2 * s]!, all[2 * s + 1]!]);
}

/**
 * `thinkMs`: each move waits about this long first (0.5–1.5×), as people do; without it
 * 50 games at full speed are ~400 moves/s, which makes the load generator the bottleneck.
 */
export async function playBackground(gs: readonly string[], pairs: [Player, Player][], thinkMs: number, stop: () => boolean, out: Background): Promise<void> {
  const slot = async ([a, b]: [Player, Player], s: number) => {
    for (let g = 0; !stop(); g++) {
      const at = (n: number) => gs[(s + g + n) % gs.length]!;
      const created = await call(at(0), 'POST', '/games', { token: a.token, body: { type: 'connect4', opponent: { kind: 'open' }, seat: 0, rated: false } });
      if (created.status !== 201) {
        out.errors.push(unexpected('create', created));
        await sleep(200);
        continue;
      }
      const id = created.body.game.id as string;
      let r = await call(at(1), 'POST', `/games/${id}/join`, { token: b.token });
      for (let n = 2; r.status === 200 && r.body.game.status === 'active' && !stop(); n++) {
        const game = r.body.game;
        await sleep(thinkMs * (0.5 + Math.random()));
        r = await call(at(n), 'POST', `/games/${id}/moves`, {
          token: (game.turn === 0 ? a : b).token,
          body: { move: pick(game.legalMoves as unknown[]), expectedSeq: game.seq },
        });
        if (r.status === 200) out.moves++;
      }
      if (r.status !== 200) {
        out.errors.push(unexpected(`game ${id}`, r));
        await sleep(200);
      } else if (r.body.game.status !== 'active') out.games++;
    }
  };
  await Promise.all(pairs.map(slot));
}
