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
//
// What an event does to the game is not decided here: the shared `applyEvent` fold
// (packages/shared commands/apply-event.ts) says it, the same fold the server's tests check
// against its snapshots. This model keeps the order, the history and the optimistic move.
import { applyEvent, commandAllowed, type FoldEvent } from '@monkeytown/shared/commands';
import { engineFor } from '@monkeytown/shared/games';
import type { PresencePlayer } from '@monkeytown/shared/client';
import type { GameSnapshot, Move, MoveResponse, OfferEventData, Seat, SeatInfo } from '@monkeytown/shared/schemas';

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
export type FeedEvent = FoldEvent;

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

/**
 * The page's model from its snapshot and the history the server render read with it (the
 * game page's first paint shows the moves: issue 26). What the history does not reach yet
 * is fetched by REST (`needsCatchUp`).
 */
export function initialModel(game: GameSnapshot, history: readonly FeedEvent[] = []): GameModel {
  const empty: GameModel = { game, historySeq: 0, moves: [], chat: [], spectators: game.spectators, presence: null, lastOffer: null, pending: null, notice: null, needsCatchUp: false, early: [] };
  const m = history.length ? fold(empty, [...history]) : empty;
  return { ...m, needsCatchUp: m.historySeq < m.game.seq || m.early.length > 0 };
}

/** The move's name in the game's notation. */
function describe(game: GameSnapshot, prevState: unknown, move: Move, after: unknown): string {
  // Chess states carry their SAN: the label needs no rules loaded (the server render and the
  // first paint have none; chess.js loads lazily).
  const san = (after as { san?: unknown } | null)?.san;
  if (Array.isArray(san) && typeof san[san.length - 1] === 'string') return san[san.length - 1] as string;
  const engine = engineFor(game.type);
  try {
    return engine ? engine.describeMove(prevState, move) : JSON.stringify(move);
  } catch {
    return JSON.stringify(move);
  }
}

/**
 * One event, in seq order: the game follows the shared fold (`applyEvent`, the server's
 * rules: it skips what the snapshot already holds), and the history this page keeps
 * beside it (moves with their labels and reasons, chat, the last offer) follows every event.
 */
function foldEvent(m: GameModel, ev: FeedEvent): GameModel {
  const game = applyEvent(m.game, ev);
  let { moves, chat, lastOffer } = m;
  switch (ev.kind) {
    case 'move': {
      const d = ev.data;
      const prev = moves.length ? moves[moves.length - 1]!.state : (engineFor(m.game.type)?.initialState() ?? null);
      moves = [...moves, { seq: ev.seq, moveNumber: d.moveNumber, seat: d.seat, move: d.move, label: describe(m.game, prev, d.move, d.state), reason: d.reason, state: d.state }];
      break;
    }
    case 'takeback':
      // The undone plies leave the move list (and the reasons panel) for everyone.
      moves = moves.slice(0, Math.max(0, moves.length - ev.data.plies));
      break;
    case 'chat':
      chat = [...chat, { seq: ev.seq, playerId: ev.data.playerId, name: ev.data.name, text: ev.data.text }];
      break;
    case 'offer':
      lastOffer = { ...ev.data, seq: ev.seq };
      break;
    default:
      break; // the rest changes only the game
  }
  return { ...m, game, moves, chat, lastOffer, historySeq: ev.seq };
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

/** Shown near the board while a move waits for the link. */
export const KEPT_MESSAGE = 'No connection: your move is kept and will be sent when the link is back.';
/** Shown while a move whose request went unanswered is sent again. */
export const SLOW_MESSAGE = 'Your move is taking long to reach Monkeytown: sending it again…';

function settlePending(m: GameModel): GameModel {
  // Only a new move (ours, confirmed) or the game ending retires the optimistic state; a chat
  // line bumping seq must not make the board flicker back.
  if (!m.pending) return m;
  if (!(m.game.moveCount > m.pending.baseMoves || m.game.status === 'finished')) return m;
  // A note about the link goes with the pending move, in the same step: the stream can show
  // the move played while a resend of it is still out (the server had played the first try).
  const linkNote = m.notice === KEPT_MESSAGE || m.notice === SLOW_MESSAGE;
  return { ...m, pending: null, notice: linkNote ? null : m.notice };
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
  if (!engine || mySeat === null || m.pending || !commandAllowed('move', m.game.status) || m.game.turn !== mySeat) return [];
  return engine.legalMoves(m.game.state);
}

/** The agent that owes a move, if any ("thinking…"). */
export function thinkingAgent(m: GameModel): SeatInfo | null {
  const g = m.game;
  if (g.status !== 'active' || g.turn === null) return null;
  const p = g.players.find((x) => x.seat === g.turn);
  return p && p.kind === 'agent' ? p : null;
}
