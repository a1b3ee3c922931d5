// The game page's state as a pure reducer: an authoritative snapshot, the ordered event
// history (moves, reasons, chat) and at most one optimistic move. Events are deduplicated
// and ordered by seq, so live events, REST catch-up and our own move responses can arrive
// in any order and the page still shows each move once, in order.
//
// Where each seq comes from: the snapshot the page loaded with, then the REST history up
// to it (on load), then the stream, which delivers every later seq once and in order. Our
// own move's seq also comes from its POST answer, which usually beats the stream: it is
// folded at once and the stream's copy is a duplicate. So only a live event that cannot
// be folded (a seq the stream skipped) is a gap that needs REST.
import { engineFor } from '@monkeytown/shared/games';
import type { PresencePlayer } from '@monkeytown/shared/client';
import type { GameEventBody, GameSnapshot, Move, MoveResponse, OfferEventData, Seat, SeatInfo } from '@monkeytown/shared/schemas';
import { foldOfferEvent, lapseOffers } from './offers-model';

export interface MoveEntry {
  seq: number;
  moveNumber: number;
  seat: Seat;
  move: Move;
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

/**
 * One event as the page sees it: a REST GameEvent, a stream event, or our own move from
 * its POST answer. `data` is typed by `kind` (the shared GameEventData map).
 */
export type FeedEvent = { seq: number } & GameEventBody;

export interface GameModel {
  game: GameSnapshot;
  /** Highest seq folded into moves/chat; events must continue from here. */
  historySeq: number;
  moves: MoveEntry[];
  chat: ChatEntry[];
  spectators: number;
  /** Players' presence on the game (issue 12), null until the stream says; `at`: when it arrived. */
  presence: { players: PresencePlayer[]; at: number } | null;
  /** The latest offer event (made, accepted, declined, withdrawn), for the page to announce. */
  lastOffer: (OfferEventData & { seq: number }) | null;
  pending: { move: Move; state: unknown; baseSeq: number; baseMoves: number } | null;
  /** Last user-facing problem (rejected move, failed chat), cleared by the next success. */
  notice: string | null;
  /** The history has a hole only REST can fill (on load, or a seq the stream skipped). */
  needsCatchUp: boolean;
  /** Events ahead of historySeq, applied once what precedes them arrives. */
  early: FeedEvent[];
}

const MAX_EARLY = 500;

export type GameAction =
  | { type: 'snapshot'; game: GameSnapshot }
  /** `live`: from the stream, which delivers in seq order (so one left waiting means a gap). */
  | { type: 'events'; events: FeedEvent[]; live?: boolean }
  /** Our own move was committed: the POST's answer. */
  | { type: 'moved'; response: MoveResponse; move: Move; playerId: string }
  | { type: 'presence'; spectators: number; players?: PresencePlayer[]; at?: number }
  | { type: 'optimistic'; move: Move }
  | { type: 'rollback'; notice: string }
  | { type: 'notice'; notice: string | null }
  | { type: 'caughtUp' };

export function initialModel(game: GameSnapshot): GameModel {
  // The snapshot has the position but not the history (moves, reasons, chat): fetch it.
  return { game, historySeq: 0, moves: [], chat: [], spectators: game.spectators, presence: null, lastOffer: null, pending: null, notice: null, needsCatchUp: game.seq > 0, early: [] };
}

function describe(game: GameSnapshot, prevState: unknown, move: Move): string {
  const engine = engineFor(game.type);
  try {
    return engine ? engine.describeMove(prevState, move) : JSON.stringify(move);
  } catch {
    return JSON.stringify(move);
  }
}

function foldEvent(m: GameModel, ev: FeedEvent): GameModel {
  let { game, moves, chat } = m;
  const fresh = ev.seq > game.seq; // the snapshot does not include this event yet
  switch (ev.kind) {
    case 'move': {
      const d = ev.data;
      const prev = moves.length ? moves[moves.length - 1]!.state : (engineFor(game.type)?.initialState() ?? null);
      const entry: MoveEntry = {
        seq: ev.seq,
        moveNumber: d.moveNumber,
        seat: d.seat,
        move: d.move,
        label: describe(game, prev, d.move),
        reason: d.reason,
        state: d.state,
      };
      moves = [...moves, entry];
      if (fresh) game = { ...game, state: d.state, turn: d.turn, status: d.status, moveCount: d.moveNumber, agentThinking: false, clockState: d.clockState === undefined ? game.clockState : d.clockState };
      break;
    }
    case 'offer':
    case 'takeback':
    case 'rematch':
      return foldOfferEvent(m, ev, fresh);
    case 'chat':
      chat = [...chat, { seq: ev.seq, playerId: ev.data.playerId, name: ev.data.name, text: ev.data.text }];
      break;
    case 'player.joined': {
      const p = ev.data.player;
      if (fresh) {
        const players = [...game.players.filter((x) => x.seat !== p.seat), p].sort((a, b) => a.seat - b.seat);
        game = { ...game, players };
        // The second seat filling starts the game; the event carries only the player, so
        // derive status and turn with the shared engine (the snapshot would say the same).
        if (game.status === 'open' && players.length === 2) {
          const engine = engineFor(game.type);
          const turn = engine ? engine.turn(game.state) : 0;
          // A timed game's clocks start with it, full, the first mover's running (the server's
          // rule); the page counts from this event's arrival like any other clock reading.
          const full = (game.clock?.initialSeconds ?? 0) * 1000;
          const clockState = game.clock ? { remainingMs: [full, full] as [number, number], running: turn, at: game.updatedAt } : game.clockState;
          game = { ...game, status: 'active', turn, clockState };
        }
      }
      break;
    }
    case 'agent.thinking':
      if (fresh) game = { ...game, agentThinking: true };
      break;
    case 'game.over':
      if (fresh) {
        // Rated games carry each seat's new rating (and so the change): show it without a
        // reload. The clocks stop as the server left them (a flag reads 0:00).
        const ratings = ev.data.ratings ?? [];
        const players = game.players.map((p) => {
          const r = ratings.find((x) => x.seat === p.seat);
          return r ? { ...p, rating: r.after } : p;
        });
        const clockState = ev.data.clockState === undefined ? game.clockState : ev.data.clockState;
        game = { ...game, players, status: 'finished', turn: null, result: ev.data.result, agentThinking: false, clockState, ratingChanges: ev.data.ratings ?? game.ratingChanges };
      }
      break;
    case 'game.created':
      break; // the snapshot the page loaded with already says all of it
  }
  if (fresh && ev.kind === 'move') game = lapseOffers(game, ev.data.seat);
  if (fresh) game = { ...game, seq: ev.seq };
  return { ...m, game, moves, chat, historySeq: ev.seq };
}

/** Folds what continues the history, in seq order; the rest waits in `early` (bounded). */
function fold(m: GameModel, incoming: FeedEvent[]): GameModel {
  const byseq = new Map<number, FeedEvent>();
  for (const ev of [...m.early, ...incoming]) if (ev.seq > m.historySeq) byseq.set(ev.seq, ev);
  let next = m;
  for (const seq of [...byseq.keys()].sort((x, y) => x - y)) {
    if (seq !== next.historySeq + 1) break;
    next = foldEvent(next, byseq.get(seq)!);
    byseq.delete(seq);
  }
  return { ...next, early: [...byseq.values()].sort((x, y) => x.seq - y.seq).slice(0, MAX_EARLY) };
}

/** Our move as the stream will carry it, rebuilt from the POST's answer (the game right after it). */
function ownMoveEvent(a: Extract<GameAction, { type: 'moved' }>): FeedEvent | null {
  const { game, seq } = a.response;
  const me = game.players.find((p) => p.playerId === a.playerId);
  if (!me) return null;
  const turn = game.status === 'active' ? game.turn : null;
  return { seq, kind: 'move', data: { seat: me.seat, playerId: a.playerId, move: a.move, reason: null, moveNumber: game.moveCount, state: game.state, turn, status: game.status, clockState: game.clockState } };
}

function settlePending(m: GameModel): GameModel {
  // Only a new move (ours, confirmed) or the game ending retires the optimistic state; a chat
  // line bumping seq must not make the board flicker back.
  if (!m.pending) return m;
  return m.game.moveCount > m.pending.baseMoves || m.game.status === 'finished' ? { ...m, pending: null } : m;
}

export function gameReducer(m: GameModel, a: GameAction): GameModel {
  switch (a.type) {
    case 'snapshot':
      // An older answer overtaken by live events changes nothing. A newer one does not make
      // a gap: the events up to it arrive on the stream (see isBehind for when they do not).
      return a.game.seq < m.game.seq ? m : settlePending({ ...m, game: a.game });
    case 'moved': {
      // The answer is the game right after our move (and the game.over it caused, if any):
      // take it, and fold the move now. The stream's event for this seq is then a duplicate.
      const game = a.response.game.seq >= m.game.seq ? a.response.game : m.game;
      const own = ownMoveEvent(a);
      const next = { ...m, game };
      return settlePending(own ? fold(next, [own]) : next);
    }
    case 'events': {
      const next = fold(m, a.events);
      // The stream is in order from where it started: a live event left waiting means it
      // skipped a seq. (Our own move may wait too, for events the stream still brings.)
      const gap = a.live === true && a.events.some((e) => e.seq > next.historySeq);
      const complete = next.early.length === 0 && next.historySeq >= next.game.seq;
      return settlePending({ ...next, needsCatchUp: gap || (next.needsCatchUp && !complete) });
    }
    case 'caughtUp':
      // Still a hole (events ahead of it wait in `early`): the page tries again.
      return { ...m, needsCatchUp: m.early.length > 0 };
    case 'presence':
      return { ...m, spectators: a.spectators, presence: a.players ? { players: a.players, at: a.at ?? Date.now() } : m.presence };
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

/** The history has not reached the snapshot yet (normally only until the stream's next event). */
export const isBehind = (m: GameModel): boolean => m.historySeq < m.game.seq || m.early.length > 0;

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
