// The hot game and its writers: a chess game between two guests, who move in turn,
// while six chat writers (both players and four spectators) talk as fast as the API
// answers; every request goes to the two game-server replicas in turn, so events of
// the one game commit at the same moment on both (the seam issue 22 is about).
import { call, guest, pick, sleep, unexpected, type Player } from './rest.js';


export interface Write {
  seq: number;
  kind: 'move' | 'chat';
  /** performance.now() when the 200/201 answer had arrived. */
  answeredAt: number;
}

export interface HotGame {
  id: string;
  white: Player;
  black: Player;
  spectators: Player[];
}

/** The game, created open by white on the first replica (black joins when the watchers are in). */
export async function createHotGame(gs: readonly string[]): Promise<HotGame> {
  const [white, black, ...spectators] = await Promise.all(
    ['White', 'Black', 'Kibitzer1', 'Kibitzer2', 'Kibitzer3', 'Kibitzer4'].map((n, i) => guest(gs[i % gs.length]!, n)),
  );
  const r = await call(gs[0]!, 'POST', '/games', { token: white!.token, body: { type: 'chess', opponent: { kind: 'open' }, seat: 0, rated: false } });
  if (r.status !== 201) throw new Error(unexpected('create the hot game', r));
  return { id: r.body.game.id as string, white: white!, black: black!, spectators };
}

export interface WriterRun {
  writes: Write[];
  /** Requests that did not get the answer a user expects (none may). */
  failures: string[];
  moves: number;
  chats: number;
  /** The game ended (chess: mate or an automatic draw) before the writers were done. */
  gameOver: boolean;
}

/** Join, then run the eight writers until `target` writes were answered (or `stopAt` passed). */
export interface WriterPace {
  target: number;
  /** performance.now() after which the writers stop, done or not. */
  stopAt: number;
  /**
   * Each chat writer pauses about this long between lines (0.5–1.5×): a pace people
   * chat at, with chat still committing on both replicas many times a second. A move
   * the chat keeps moving the game past waits for the game's row lock (pipeline/batch.ts,
   * LOCKED_AFTER): a 409 "too busy" here is a failure.
   */
  chatPauseMs: number;
}

export async function runWriters(gs: readonly string[], hot: HotGame, pace: WriterPace, run: WriterRun): Promise<void> {
  const { target, stopAt } = pace;
  const joined = await call(gs[1 % gs.length]!, 'POST', `/games/${hot.id}/join`, { token: hot.black.token });
  if (joined.status !== 200) throw new Error(unexpected('join the hot game', joined));
  const done = () => run.writes.length >= target || performance.now() > stopAt || run.failures.length > 20;

  // The players move in turn; a move names the seq of the last move (chat does not make it stale).
  const movers = async () => {
    let game = joined.body.game;
    for (let n = 0; !done() && game.status === 'active'; n++) {
      const player = game.turn === 0 ? hot.white : hot.black;
      const body = { move: pick(game.legalMoves as unknown[]), expectedSeq: game.seq };
      const r = await call(gs[n % gs.length]!, 'POST', `/games/${hot.id}/moves`, { token: player.token, body });
      if (r.status !== 200) {
        // Nobody else moves this game: a refusal here is a bug, not a race to retry.
        run.failures.push(unexpected(`move ${n + 1}`, r));
        return;
      }
      run.writes.push({ seq: r.body.seq as number, kind: 'move', answeredAt: r.at });
      run.moves++;
      game = r.body.game;
    }
    if (game.status !== 'active') run.gameOver = true;
  };

  const chatter = async (player: Player, w: number) => {
    for (let n = 0; !done(); n++) {
      const r = await call(gs[(w + n) % gs.length]!, 'POST', `/games/${hot.id}/chat`, { token: player.token, body: { text: `writer ${w} line ${n}` } });
      if (r.status !== 201) {
        run.failures.push(unexpected(`chat ${w}/${n}`, r));
        continue;
      }
      run.writes.push({ seq: r.body.seq as number, kind: 'chat', answeredAt: r.at });
      run.chats++;
      if (pace.chatPauseMs) await sleep(pace.chatPauseMs * (0.5 + Math.random()));
    }
  };

  const talkers = [hot.white, hot.black, ...hot.spectators];
  await Promise.all([movers(), ...talkers.map((p, w) => chatter(p, w))]);
}

export const newWriterRun = (): WriterRun => ({ writes: [], failures: [], moves: 0, chats: 0, gameOver: false });
