import { afterEach, describe, expect, it } from 'vitest';
import { connect4, tictactoe } from '@monkeytown/shared/games';
import { AiPool } from '../../src/ai/pool.js';

describe('AI worker pool', () => {
  let pool: AiPool | undefined;
  afterEach(async () => pool?.close());

  it('answers many requests on a small pool, each with a legal move and a reason', async () => {
    pool = new AiPool(2);
    const state = tictactoe.initialState();
    const rs = await Promise.all(
      Array.from({ length: 6 }, (_, i) => pool!.choose({ type: 'tictactoe', state, agentId: 'speedygibbon', seed: i })),
    );
    for (const r of rs) {
      expect(tictactoe.illegalReason(state, r.move as { cell: number })).toBeNull();
      expect(r.reason.length).toBeGreaterThan(0);
    }
  });

  it('a failing search rejects without killing the pool', async () => {
    pool = new AiPool(1);
    const over = { ...tictactoe.initialState(), cells: [0, 0, 0, 1, 1, null, null, null, null] as (0 | 1 | null)[], moves: 5, result: { winner: 0 as const, line: [0, 1, 2] } };
    await expect(pool.choose({ type: 'tictactoe', state: over, agentId: 'championchimp', seed: 1 })).rejects.toThrow(/over/);
    const ok = await pool.choose({ type: 'connect4', state: connect4.initialState(), agentId: 'wildcardlemur', seed: 1 });
    expect(typeof (ok.move as { column: number }).column).toBe('number');
  });

  it('abandons a search that runs past its timeout (the turn is retried later)', async () => {
    pool = new AiPool(1, 1);
    await expect(pool.choose({ type: 'connect4', state: connect4.initialState(), agentId: 'championchimp', seed: 3 })).rejects.toThrow(/timed out/);
  });
});
