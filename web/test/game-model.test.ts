import { describe, expect, it } from 'vitest';
import { displayState, gameReducer, initialModel, myLegalMoves, thinkingAgent } from '../src/lib/game-model';
import { AGENT, chatEvent, createdEvents, HUMAN, moveEvents, snapshot } from './fixtures';

const created = createdEvents();

describe('game model', () => {
  it('folds history and live events once, in order, whatever order they arrive in', () => {
    let m = initialModel(snapshot());
    const ev = moveEvents('tictactoe', [{ cell: 4 }, { cell: 0 }, { cell: 8 }], 3, [null, 'takes a corner', null]);
    m = gameReducer(m, { type: 'events', events: [...created, ev[1]!, ev[0]!] });
    m = gameReducer(m, { type: 'events', events: [ev[0]!, ev[1]!, ev[2]!] }); // replay overlap
    expect(m.moves.map((x) => x.label)).toEqual(['b2', 'a1', 'c3']);
    expect(m.moves[1]!.reason).toBe('takes a corner');
    expect(m.game.seq).toBe(5);
    expect(m.game.turn).toBe(1);
    expect(m.needsCatchUp).toBe(false);
  });

  it('asks for a catch-up when a seq is skipped, without applying past the gap', () => {
    let m = initialModel(snapshot());
    m = gameReducer(m, { type: 'events', events: created });
    const ev = moveEvents('tictactoe', [{ cell: 4 }, { cell: 0 }], 3);
    m = gameReducer(m, { type: 'events', events: [ev[1]!], live: true });
    expect(m.needsCatchUp).toBe(true);
    expect(m.moves).toHaveLength(0);
  });

  it('starts from the history the server render read (first paint): moves listed, no catch-up needed', () => {
    const ev = moveEvents('tictactoe', [{ cell: 4 }, { cell: 0 }], 3);
    const m = initialModel(snapshot({ seq: 4, moveCount: 2 }), [...created, ...ev]);
    expect(m.moves.map((x) => x.label)).toEqual(['b2', 'a1']);
    expect(m.needsCatchUp).toBe(false);
    expect(initialModel(snapshot({ seq: 6 }), [...created, ...ev]).needsCatchUp).toBe(true);
  });

  it("names a chess move from the state's SAN, without the chess rules loaded", () => {
    const g = snapshot({ type: 'chess', seq: 3, moveCount: 1 });
    const state = { ...(g.state as object), san: ['e4'], uci: ['e2e4'] };
    const move = { seq: 3, kind: 'move', data: { seat: 0, playerId: HUMAN.playerId, move: { uci: 'e2e4' }, reason: null, moveNumber: 1, state, turn: 1, status: 'active', clockState: null } } as const;
    const m = initialModel(g, [...created, move]);
    expect(m.moves.map((x) => x.label)).toEqual(['e4']);
  });

  it('needs the history when the snapshot is ahead of it', () => {
    const m = initialModel(snapshot({ seq: 5 }));
    expect(gameReducer(m, { type: 'snapshot', game: snapshot({ seq: 5 }) }).needsCatchUp).toBe(true);
  });

  it('shows an optimistic move at once and rolls it back on refusal', () => {
    let m = gameReducer(initialModel(snapshot()), { type: 'events', events: created });
    m = gameReducer(m, { type: 'optimistic', move: { cell: 4 } });
    expect((displayState(m) as { cells: unknown[] }).cells[4]).toBe(0);
    expect(myLegalMoves(m, 0)).toEqual([]); // no second move while one is in flight
    m = gameReducer(m, { type: 'rollback', notice: 'cell b2 is already taken' });
    expect((displayState(m) as { cells: unknown[] }).cells[4]).toBeNull();
    expect(m.notice).toBe('cell b2 is already taken');
    expect(myLegalMoves(m, 0)).toHaveLength(9);
  });

  it('keeps the optimistic move through a chat line and retires it when the move lands', () => {
    let m = gameReducer(initialModel(snapshot()), { type: 'events', events: created });
    m = gameReducer(m, { type: 'optimistic', move: { cell: 4 } });
    m = gameReducer(m, { type: 'events', events: [chatEvent(3)] });
    expect(m.pending).not.toBeNull();
    m = gameReducer(m, { type: 'events', events: moveEvents('tictactoe', [{ cell: 4 }], 4) });
    expect(m.pending).toBeNull();
    expect((displayState(m) as { cells: unknown[] }).cells[4]).toBe(0);
    expect(m.chat[0]!.text).toBe('hi');
  });

  it('refuses an illegal optimistic move using the shared engine', () => {
    let m = gameReducer(initialModel(snapshot()), { type: 'events', events: [...created, ...moveEvents('tictactoe', [{ cell: 4 }], 3)] });
    m = gameReducer(m, { type: 'optimistic', move: { cell: 4 } });
    expect(m.pending).toBeNull();
    expect(m.notice).toMatch(/already taken/);
  });

  it('knows when the agent is thinking and when the game is over', () => {
    let m = gameReducer(initialModel(snapshot()), { type: 'events', events: created });
    expect(thinkingAgent(m)).toBeNull();
    m = gameReducer(m, { type: 'events', events: moveEvents('tictactoe', [{ cell: 4 }], 3) });
    expect(thinkingAgent(m)?.name).toBe('MentorOrangutan');
    m = gameReducer(m, { type: 'events', events: [{ seq: 4, kind: 'game.over', data: { result: { winner: 0, reason: 'resign' } } }] });
    expect(m.game.status).toBe('finished');
    expect(thinkingAgent(m)).toBeNull();
    expect(myLegalMoves(m, 0)).toEqual([]);
  });
});

describe('game model: an open seat filling', () => {
  it('starts the game when the second player joins, with seat 0 to move', () => {
    let m = initialModel(snapshot({ status: 'open', turn: null, seq: 1, players: [{ ...HUMAN, seat: 1 }] }));
    m = gameReducer(m, { type: 'events', events: [{ seq: 1, kind: 'game.created', data: { game: m.game } }] });
    m = gameReducer(m, { type: 'events', events: [{ seq: 2, kind: 'player.joined', data: { player: { ...AGENT, kind: 'human', seat: 0 } } }] });
    expect(m.game.status).toBe('active');
    expect(m.game.turn).toBe(0);
    expect(m.game.players.map((p) => p.seat)).toEqual([0, 1]);
    expect(myLegalMoves(m, 0)).toHaveLength(9);
  });
});

describe('game model: loading a page', () => {
  it('asks for the history behind a snapshot', () => {
    expect(initialModel(snapshot({ seq: 4 })).needsCatchUp).toBe(true);
    expect(initialModel(snapshot({ seq: 0 })).needsCatchUp).toBe(false);
  });
});

describe('game model: the end of a rated game', () => {
  it('shows the new ratings from game.over', () => {
    let m = gameReducer(initialModel(snapshot()), { type: 'events', events: created });
    m = gameReducer(m, {
      type: 'events',
      events: [{ seq: 3, kind: 'game.over', data: { result: { winner: 1, reason: 'resign' }, ratings: [{ seat: 0, playerId: HUMAN.playerId, before: 1500, after: 1484 }, { seat: 1, playerId: AGENT.playerId, before: 1320, after: 1336 }] } }],
    });
    expect(m.game.players.map((p) => p.rating)).toEqual([1484, 1336]);
    expect(m.game.result?.winner).toBe(1);
  });
});

describe('game model: events ahead of a gap', () => {
  it('keeps them and applies them once the gap is filled', () => {
    let m = gameReducer(initialModel(snapshot()), { type: 'events', events: created });
    const ev = moveEvents('tictactoe', [{ cell: 4 }, { cell: 0 }, { cell: 8 }], 3);
    m = gameReducer(m, { type: 'events', events: [ev[2]!], live: true });
    m = gameReducer(m, { type: 'events', events: [ev[1]!], live: true });
    expect(m.needsCatchUp).toBe(true);
    expect(m.moves).toHaveLength(0);
    m = gameReducer(m, { type: 'events', events: [ev[0]!] }); // the REST catch-up
    expect(m.moves.map((x) => x.label)).toEqual(['b2', 'a1', 'c3']);
    expect(m.needsCatchUp).toBe(false);
    expect(m.early).toEqual([]);
  });
});
