// The kind → payload schema map: every kind has a schema, the stored-event union checks
// each payload against its own kind's schema, and the JSON Schema (OpenAPI) names them.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { GameEvent, GameEventData, GameEventKind, GameStreamEvent, type GameEventOf } from '../../src/schemas/index.js';

const gameId = '11111111-1111-4111-8111-111111111111';
const playerId = '00000000-0000-4000-8000-000000000001';
const at = '2026-01-01T00:00:00Z';
const move = {
  seat: 0, playerId, move: { cell: 4 }, reason: null, moveNumber: 1, state: { cells: [] }, turn: 1, status: 'active',
} as const;

describe('game event payloads by kind', () => {
  it('has a schema for every kind and no other', () => {
    expect(Object.keys(GameEventData).sort()).toEqual([...GameEventKind.options].sort());
  });

  it("checks each event's data against its own kind's schema", () => {
    expect(GameEvent.safeParse({ gameId, seq: 3, kind: 'move', data: move, at }).success).toBe(true);
    expect(GameEvent.safeParse({ gameId, seq: 4, kind: 'chat', data: { playerId, name: 'Ann', text: 'hi' }, at }).success).toBe(true);
    // A chat payload under the move kind, an unknown kind, a move missing its seat: refused.
    expect(GameEvent.safeParse({ gameId, seq: 4, kind: 'move', data: { playerId, name: 'Ann', text: 'hi' }, at }).success).toBe(false);
    expect(GameEvent.safeParse({ gameId, seq: 4, kind: 'resigned', data: {}, at }).success).toBe(false);
    const { seat: _seat, ...noSeat } = move;
    expect(GameStreamEvent.safeParse({ topic: `game:${gameId}`, seq: 3, kind: 'move', data: noSeat, at }).success).toBe(false);
  });

  it('narrows data by kind in TypeScript', () => {
    const ev = GameEvent.parse({ gameId, seq: 3, kind: 'move', data: move, at });
    if (ev.kind !== 'move') throw new Error('kind');
    const m: GameEventOf<'move'> = ev;
    expect(m.data.moveNumber).toBe(1);
  });

  it('documents every kind in the JSON Schema the OpenAPI document is built from', () => {
    const json = JSON.stringify(z.toJSONSchema(GameEvent, { io: 'output', unrepresentable: 'any' }));
    for (const kind of GameEventKind.options) expect(json).toContain(`"const":"${kind}"`);
  });
});
