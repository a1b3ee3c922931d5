// The game page's state as a pure reducer: an authoritative snapshot, the ordered event
// history (moves, reasons, chat) and at most one optimistic move. Events are deduplicated
// and ordered by seq, so live events, REST catch-up and our own move responses can arrive
// in any order and the page still shows each move once, in order.
import { engineFor } from '@monkeytown/shared/games';
import type { GameSnapshot, Seat, SeatInfo } from '@monkeytown/shared/schemas';

export interface MoveEntry {
  seq: number;
  moveNumber: number;
  seat: Seat;
  move: unknown;
  /** "b2", "col 4": from the shared engine. */
  label: string;
  reason: string | null;
  /** Public state after the move (replays step through these). */
  state: unknown;
}

export interface ChatEntry {
  seq: number;
  playerId: string;
  name: string;
  text: string;
}

/** One event as the page sees it (REST GameEvent and WebSocket event share this shape). */
export interface FeedEvent {
  seq: number;
  kind: string;
  data: unknown;
}

export interface GameModel {
  game: GameSnapshot;
  /** Highest seq folded into moves/chat; events must continue from here. */
  historySeq: number;
  moves: MoveEntry[];
  chat: ChatEntry[];
  spectators: number;
  pending: { move: unknown; state: unknown; baseSeq: number; baseMoves: number } | null;
  /** Last user-facing problem (rejected move, failed chat), cleared by the next success. */
  notice: string | null;
  /** A gap in seq was seen: the page must catch up from REST. */
  needsCatchUp: boolean;
  /** Live events that arrived ahead of a gap, applied once the gap is filled. */
  early: FeedEvent[];
}

const MAX_EARLY = 500;

export type GameAction =
  | { type: 'snapshot'; game: GameSnapshot }
  | { type: 'events'; events: FeedEvent[] }
  | { type: 'presence'; spectators: number }
  | { type: 'optimistic'; move: unknown }
  | { type: 'rollback'; notice: string }
  | { type: 'notice'; notice: string | null }
  | { type: 'caughtUp' };

export function initialModel(game: GameSnapshot): GameModel {
  // The snapshot has the position but not the history (moves, reasons, chat): fetch it.
  return { game, historySeq: 0, moves: [], chat: [], spectators: game.spectators, pending: null, notice: null, needsCatchUp: game.seq > 0, early: [] };
}

function describe(game: GameSnapshot, prevState: unknown, move: unknown): string {
  const engine = engineFor(game.type);
  try {
    return engine ? engine.describeMove(prevState, move) : JSON.stringify(move);
  } catch {
    return JSON.stringify(move);
  }
}

function foldEvent(m: GameModel, ev: FeedEvent): GameModel {
  const d = (ev.data ?? {}) as Record<string, unknown>;
  let { game, moves, chat } = m;
  const fresh = ev.seq > game.seq; // the snapshot does not include this event yet
  switch (ev.kind) {
    case 'move': {
      const prev = moves.length ? moves[moves.length - 1]!.state : (engineFor(game.type)?.initialState() ?? null);
      const entry: MoveEntry = {
        seq: ev.seq,
        moveNumber: Number(d.moveNumber ?? moves.length + 1),
        seat: (d.seat ?? 0) as Seat,
        move: d.move,
        label: describe(game, prev, d.move),
        reason: typeof d.reason === 'string' ? d.reason : null,
        state: d.state,
      };
      moves = [...moves, entry];
      if (fresh) {
        game = {
          ...game,
          state: d.state,
          turn: (d.turn ?? null) as Seat | null,
          status: (d.status as GameSnapshot['status']) ?? game.status,
          moveCount: entry.moveNumber,
          agentThinking: false,
        };
      }
      break;
    }
    case 'chat':
      chat = [...chat, { seq: ev.seq, playerId: String(d.playerId ?? ''), name: String(d.name ?? '?'), text: String(d.text ?? '') }];
      break;
    case 'player.joined': {
      const p = d.player as SeatInfo | undefined;
      if (fresh && p) {
        const players = [...game.players.filter((x) => x.seat !== p.seat), p].sort((a, b) => a.seat - b.seat);
        game = { ...game, players };
        // The second seat filling starts the game; the event carries only the player, so
        // derive status and turn with the shared engine (the snapshot would say the same).
        if (game.status === 'open' && players.length === 2) {
          const engine = engineFor(game.type);
          game = { ...game, status: 'active', turn: engine ? engine.turn(game.state) : 0 };
        }
      }
      break;
    }
    case 'agent.thinking':
      if (fresh) game = { ...game, agentThinking: true };
      break;
    case 'game.over':
      if (fresh) {
        // Rated games carry each seat's new rating: show it without a reload.
        const ratings = (d.ratings as { seat: Seat; after: number }[] | undefined) ?? [];
        const players = game.players.map((p) => {
          const r = ratings.find((x) => x.seat === p.seat);
          return r ? { ...p, rating: r.after } : p;
        });
        game = { ...game, players, status: 'finished', turn: null, result: (d.result as GameSnapshot['result']) ?? null, agentThinking: false };
      }
      break;
    default:
      break;
  }
  if (fresh) game = { ...game, seq: ev.seq };
  return { ...m, game, moves, chat, historySeq: ev.seq };
}

function settlePending(m: GameModel): GameModel {
  // Only a new move (ours, confirmed) or the game ending retires the optimistic state; a chat
  // line bumping seq must not make the board flicker back.
  if (!m.pending) return m;
  return m.game.moveCount > m.pending.baseMoves || m.game.status === 'finished' ? { ...m, pending: null } : m;
}

export function gameReducer(m: GameModel, a: GameAction): GameModel {
  switch (a.type) {
    case 'snapshot': {
      if (a.game.seq < m.game.seq) return m; // an older answer overtaken by live events
      // A snapshot ahead of the history means events were missed: catch up from REST.
      return settlePending({ ...m, game: a.game, needsCatchUp: m.needsCatchUp || a.game.seq > m.historySeq });
    }
    case 'events': {
      // Events ahead of a gap wait in `early` (bounded) until the gap is filled from REST.
      const byseq = new Map<number, FeedEvent>();
      for (const ev of [...m.early, ...a.events]) if (ev.seq > m.historySeq) byseq.set(ev.seq, ev);
      let next: GameModel = m;
      for (const seq of [...byseq.keys()].sort((x, y) => x - y)) {
        if (seq !== next.historySeq + 1) break;
        next = foldEvent(next, byseq.get(seq)!);
        byseq.delete(seq);
      }
      const early = [...byseq.values()].sort((x, y) => x.seq - y.seq).slice(0, MAX_EARLY);
      const complete = early.length === 0 && next.historySeq >= next.game.seq;
      // A gap needs a catch-up; history complete up to the snapshot needs none.
      return settlePending({ ...next, early, needsCatchUp: early.length > 0 || (next.needsCatchUp && !complete) });
    }
    case 'caughtUp':
      // Still a gap (events ahead of it wait in `early`): the page tries again.
      return { ...m, needsCatchUp: m.early.length > 0 };
    case 'presence':
      return { ...m, spectators: a.spectators };
    case 'optimistic': {
      const engine = engineFor(m.game.type);
      if (!engine || m.pending) return m;
      try {
        const state = engine.apply(m.game.state, a.move);
        return { ...m, pending: { move: a.move, state, baseSeq: m.game.seq, baseMoves: m.game.moveCount }, notice: null };
      } catch (err) {
        return { ...m, notice: (err as Error).message };
      }
    }
    case 'rollback':
      return { ...m, pending: null, notice: a.notice };
    case 'notice':
      return { ...m, notice: a.notice };
  }
}

/** The state to draw: the optimistic one while a move is in flight. */
export const displayState = (m: GameModel): unknown => m.pending?.state ?? m.game.state;

export function seatOf(game: GameSnapshot, playerId: string | null | undefined): Seat | null {
  if (!playerId) return null;
  return game.players.find((p) => p.playerId === playerId)?.seat ?? null;
}

/** Moves the viewer may make right now (empty when it is not their turn). */
export function myLegalMoves(m: GameModel, mySeat: Seat | null): unknown[] {
  const engine = engineFor(m.game.type);
  if (!engine || mySeat === null || m.pending || m.game.status !== 'active' || m.game.turn !== mySeat) return [];
  return engine.legalMoves(m.game.state);
}

/** The agent that owes a move, if any ("thinking…"). */
export function thinkingAgent(m: GameModel): SeatInfo | null {
  const g = m.game;
  if (g.status !== 'active' || g.turn === null) return null;
  const p = g.players.find((x) => x.seat === g.turn);
  return p && p.kind === 'agent' ? p : null;
}
