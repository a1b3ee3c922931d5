// Issue 27, acceptance 3: finished chess games whose reviews the game-server then computes
// in its review worker once someone asks (GET /review queues one; REVIEW_AUTO=true would queue every game). Two bench players play
// `plies` random legal moves in each of `count` games (HTTP, as the browser does) and
// resign: afterwards `count` reviews are queued, each a search of every position.
import { ENGINES, type GameEngine } from '@monkeytown/shared/games';
import { mulberry32 } from '@monkeytown/shared/ai';
import type { Api } from '../lib/http.js';
import { createPlayers } from '../lib/players.js';

export async function queueReviews(api: Api, count: number, plies: number): Promise<string[]> {
  const [white, black] = await createPlayers(api, 1000, 2, 'reviewed');
  const engine = ENGINES.chess as GameEngine<unknown, unknown>;
  const rand = mulberry32(27);
  const ids: string[] = [];
  for (let g = 0; g < count; g++) {
    const c = await api.post('/api/games', { type: 'chess', opponent: { kind: 'open' }, seat: 0 }, white!);
    if (c.status !== 201) throw new Error(`create -> ${c.status} ${JSON.stringify(c.body).slice(0, 200)}`);
    const id = c.body.game.id as string;
    let game = (await api.post(`/api/games/${id}/join`, {}, black!)).body.game;
    for (let ply = 0; ply < plies && game.status === 'active'; ply++) {
      const legal = engine.legalMoves(game.state);
      const move = legal[Math.floor(rand() * legal.length)];
      const r = await api.post(`/api/games/${id}/moves`, { move, expectedSeq: game.seq }, ply % 2 ? black! : white!);
      if (r.status !== 200) throw new Error(`move -> ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
      game = r.body.game;
    }
    if (game.status === 'active') await api.post(`/api/games/${id}/resign`, {}, white!);
    ids.push(id);
  }
  return ids;
}

/** Reviews of `ids` done so far (GET /review answers `done`). */
export async function reviewsDone(api: Api, ids: readonly string[]): Promise<number> {
  let done = 0;
  for (const id of ids) if ((await api.get(`/api/games/${id}/review`)).body.status === 'done') done++;
  return done;
}
