import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AgentId } from '../src/schemas/index.js';
import { AGENT_IDS, chooseMove, clearSearchCache, hint, PERSONALITIES, thinkDelayMs, TROOP } from '../src/ai/index.js';
import { connect4, tictactoe, type Connect4State } from '../src/games/index.js';

const c4 = (cols: number[]): Connect4State => cols.reduce((s, column) => connect4.apply(s, { column }), connect4.initialState());
// Agents whose searches are cheap enough for property tests (ChampionChimp/StrategistApe get targeted tests).
const QUICK: AgentId[] = ['trickstermonkey', 'guardiangorilla', 'speedygibbon', 'wildcardlemur', 'mentororangutan'];

describe('the troop', () => {
  it('has the seven agents of the brief with profiles the API can serve', () => {
    expect(TROOP.map((a) => a.id)).toEqual(AgentId.options);
    expect(TROOP.map((a) => `${a.emoji} ${a.name}`)).toEqual([
      '🏆 ChampionChimp', '🧩 StrategistApe', '🎭 TricksterMonkey', '🛡️ GuardianGorilla',
      '⚡ SpeedyGibbon', '🃏 WildcardLemur', '📚 MentorOrangutan',
    ]);
    for (const a of TROOP) {
      expect(a.strength).toBeGreaterThanOrEqual(1);
      expect(a.strength).toBeLessThanOrEqual(10);
      expect(a.description.length).toBeGreaterThan(20);
      expect(a.style.length).toBeGreaterThan(2);
    }
    const strongest = [...TROOP].sort((a, b) => b.strength - a.strength);
    expect(strongest[0]!.id).toBe('championchimp');
    expect(strongest[0]!.strength).toBeGreaterThan(strongest[1]!.strength);
  });

  it('personalities really differ in their search parameters', () => {
    const c = PERSONALITIES;
    expect(c.championchimp.games.connect4.nodeBudget).toBeGreaterThan(c.strategistape.games.connect4.nodeBudget);
    expect(c.speedygibbon.games.connect4.maxDepth).toBeLessThan(c.guardiangorilla.games.connect4.maxDepth);
    expect(c.wildcardlemur.games.connect4.temperature).toBeGreaterThan(c.speedygibbon.games.connect4.temperature);
    expect(c.guardiangorilla.games.connect4.defence).toBeGreaterThan(c.guardiangorilla.games.connect4.attack);
    expect(c.trickstermonkey.games.connect4.trickiness).toBeGreaterThan(0);
    expect(c.championchimp.games.tictactoe).toMatchObject({ maxDepth: 9, temperature: 0, blunderRate: 0 });
  });
});

describe('chooseMove', () => {
  it('is deterministic for a seed (move and reason), and seeds give variety to random agents', () => {
    const s = c4([3, 3, 2]);
    for (const agentId of AGENT_IDS) {
      const a = chooseMove({ type: 'connect4', state: s, agentId, seed: 11 });
      const b = chooseMove({ type: 'connect4', state: s, agentId, seed: 11 });
      // Only the measured time and the cache flag may differ between two identical calls.
      expect({ ...a, stats: { ...a.stats, ms: 0, cached: 0 } }).toEqual({ ...b, stats: { ...b.stats, ms: 0, cached: 0 } });
    }
    const lemurMoves = new Set(
      Array.from({ length: 30 }, (_, seed) => chooseMove({ type: 'connect4', state: connect4.initialState(), agentId: 'wildcardlemur', seed }).move.column),
    );
    expect(lemurMoves.size).toBeGreaterThanOrEqual(3);
  });

  it('property: quick agents always return a legal connect-four move with a reason from random positions', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 30 }), fc.constantFrom(...QUICK), fc.nat(), (picks, agentId, seed) => {
        let s = connect4.initialState();
        for (const p of picks) {
          if (connect4.outcome(s)) break;
          const legal = connect4.legalMoves(s);
          s = connect4.apply(s, legal[p % legal.length]!);
        }
        if (connect4.outcome(s)) return;
        const r = chooseMove({ type: 'connect4', state: s, agentId, seed });
        expect(connect4.illegalReason(s, r.move as { column: number })).toBeNull();
        expect(r.reason.length).toBeGreaterThan(5);
        expect(r.stats.nodes).toBeGreaterThan(0);
        expect(r.stats.depth).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 150 },
    );
  });

  it('reuses an identical search from the cache with the same result', () => {
    clearSearchCache();
    const s = c4([3, 2, 3]);
    const first = chooseMove({ type: 'connect4', state: s, agentId: 'strategistape', seed: 3 });
    const again = chooseMove({ type: 'connect4', state: JSON.parse(JSON.stringify(s)), agentId: 'strategistape', seed: 3 });
    expect(first.stats.cached).toBe(false);
    expect(again.stats.cached).toBe(true);
    expect(again.move).toEqual(first.move);
    expect(again.reason).toBe(first.reason);
    expect(again.stats.nodes).toBe(first.stats.nodes);
  });

  it('refuses finished games', () => {
    const over = c4([0, 1, 0, 1, 0, 1, 0]);
    expect(() => chooseMove({ type: 'connect4', state: over, agentId: 'championchimp', seed: 1 })).toThrow(/over/);
    const ttt = [0, 3, 1, 4, 2].reduce((s, cell) => tictactoe.apply(s, { cell }), tictactoe.initialState());
    expect(() => chooseMove({ type: 'tictactoe', state: ttt, agentId: 'championchimp', seed: 1 })).toThrow(/over/);
  });

  it('ChampionChimp stays within its node budget and reports depth', () => {
    const r = chooseMove({ type: 'connect4', state: connect4.initialState(), agentId: 'championchimp', seed: 1 });
    expect(r.move).toEqual({ column: 3 }); // the centre: the only winning first move
    expect(r.stats.nodes).toBeLessThanOrEqual(PERSONALITIES.championchimp.games.connect4.nodeBudget + 1);
    expect(r.stats.depth).toBeGreaterThanOrEqual(8);
  });
});

describe('reasons are grounded in the position', () => {
  it('connect four: takes a win and says where', () => {
    const s = c4([0, 6, 1, 6, 2, 5]); // X has three on the bottom row; column 4 wins
    for (const agentId of ['championchimp', 'strategistape', 'guardiangorilla'] as const) {
      const r = chooseMove({ type: 'connect4', state: s, agentId, seed: 5 });
      expect(r.move).toEqual({ column: 3 });
      expect(r.reasonCode).toBe('win');
      expect(r.reason).toMatch(/connects four along the bottom row and wins/);
    }
  });

  it('connect four: blocks a vertical three and names the column', () => {
    const s = c4([3, 0, 3, 0, 3]); // X stacks three in column 4; O must block
    for (const agentId of ['championchimp', 'strategistape', 'guardiangorilla'] as const) {
      const r = chooseMove({ type: 'connect4', state: s, agentId, seed: 5 });
      expect(r.move).toEqual({ column: 3 });
      expect(r.reasonCode).toBe('block');
      expect(r.reason).toMatch(/blocks your three in column 4/);
    }
    expect(chooseMove({ type: 'connect4', state: s, agentId: 'guardiangorilla', seed: 5 }).reason).toMatch(/^stands guard/);
  });

  it('connect four: sets up a double threat on the bottom row', () => {
    const s = c4([2, 2, 3, 3]); // X on columns 3-4 bottom; X to move can make an open three
    const r = chooseMove({ type: 'connect4', state: s, agentId: 'championchimp', seed: 1 });
    expect([1, 4]).toContain((r.move as { column: number }).column);
    expect(r.reasonCode).toBe('double-threat');
    expect(r.reason).toMatch(/double threat/);
  });

  it('MentorOrangutan explains its move as a lesson', () => {
    const s = c4([3, 0, 3, 0, 3]);
    const r = chooseMove({ type: 'connect4', state: s, agentId: 'mentororangutan', seed: 2 });
    expect(r.reason).toMatch(/lesson: /);
    const t = chooseMove({ type: 'tictactoe', state: tictactoe.initialState(), agentId: 'mentororangutan', seed: 2 });
    expect(t.reason).toMatch(/lesson: /);
  });

  it('tic-tac-toe: wins, blocks, takes the centre and corners with matching words', () => {
    const ttt = (cells: number[]) => cells.reduce((s, cell) => tictactoe.apply(s, { cell }), tictactoe.initialState());
    const win = chooseMove({ type: 'tictactoe', state: ttt([0, 3, 1, 4]), agentId: 'championchimp', seed: 1 });
    expect(win.move).toEqual({ cell: 2 });
    expect(win.reason).toBe('completes the top row and wins');
    const block = chooseMove({ type: 'tictactoe', state: ttt([0, 4, 1]), agentId: 'championchimp', seed: 1 });
    expect(block.move).toEqual({ cell: 2 });
    expect(block.reason).toBe('blocks your two on the top row');
    // Against a corner the centre is the only move that does not lose.
    const centre = chooseMove({ type: 'tictactoe', state: ttt([0]), agentId: 'championchimp', seed: 1 });
    expect(centre.move).toEqual({ cell: 4 });
    expect(centre.reason).toBe('takes the centre');
    // ChampionChimp opens in a corner: as safe as the centre, and more replies lose.
    const open = chooseMove({ type: 'tictactoe', state: tictactoe.initialState(), agentId: 'championchimp', seed: 1 });
    expect([0, 2, 6, 8]).toContain(open.move.cell);
    expect(open.reason).toMatch(/^takes the corner [ac][13]$/);
  });
});

describe('hint (MentorOrangutan helps the player to move)', () => {
  it('suggests the block and addresses the player, not the opponent', () => {
    const h = hint({ type: 'connect4', state: c4([3, 0, 3, 0, 3]), seed: 1 });
    expect(h.move).toEqual({ column: 3 });
    expect(h.reasonCode).toBe('block');
    expect(h.text).toMatch(/^Try column 4: it blocks their three in column 4 — /);
  });

  it('finds the only drawing reply in tic-tac-toe (an edge against two opposite corners)', () => {
    const s = [0, 4, 8].reduce((st, cell) => tictactoe.apply(st, { cell }), tictactoe.initialState());
    const h = hint({ type: 'tictactoe', state: s, seed: 1 });
    expect([1, 3, 5, 7]).toContain((h.move as { cell: number }).cell);
    expect(h.text).toMatch(/^Try [abc][123]: it /);
  });
});

describe('thinkDelayMs', () => {
  it('is deterministic, natural (150..900 ms) and quickest for SpeedyGibbon', () => {
    const mean = (id: AgentId) => {
      let sum = 0;
      for (let seed = 0; seed < 200; seed++) {
        const d = thinkDelayMs(id, seed);
        expect(d).toBeGreaterThanOrEqual(150);
        expect(d).toBeLessThanOrEqual(900);
        expect(thinkDelayMs(id, seed)).toBe(d);
        sum += d;
      }
      return sum / 200;
    };
    const means = Object.fromEntries(AGENT_IDS.map((id) => [id, mean(id)]));
    for (const id of AGENT_IDS) if (id !== 'speedygibbon') expect(means.speedygibbon).toBeLessThan(means[id]!);
    expect(new Set(Array.from({ length: 20 }, (_, s) => thinkDelayMs('championchimp', s))).size).toBeGreaterThan(5);
  });
});
