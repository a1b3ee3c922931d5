import { describe, expect, it } from 'vitest';
import { overlayLive } from '../src/lib/lobby-lists';
import { AGENT, HUMAN, snapshot } from './fixtures';

const summary = (over: Parameters<typeof snapshot>[0]) => {
  const { state: _s, legalMoves: _l, agentThinking: _a, clockState: _cs, offers: _o, rematchId: _r, claimAfterSeconds: _ca, ...rest } = snapshot(over);
  return rest;
};
const id = (n: number) => `11111111-1111-4111-8111-00000000000${n}`;

// The lobby reloads its lists on every (re)connect; events that arrive while that read is
// in flight must survive it (a seat opened during the read used to vanish from the lobby).
describe('lobby reload with live events in flight', () => {
  it('keeps a seat opened during the read, and a game that moved on since', () => {
    const older = summary({ id: id(1), status: 'active', seq: 4, moveCount: 3, players: [HUMAN, AGENT] });
    const opened = summary({ id: id(2), status: 'open', turn: null, seq: 1, players: [HUMAN] });
    const newer = { ...older, seq: 6, moveCount: 5 };
    const out = overlayLive({ open: [], active: [older], finished: [] }, [opened, newer]);
    expect(out.open.map((g) => g.id)).toEqual([id(2)]);
    expect(out.active).toEqual([newer]);
  });

  it('does not undo the read with an event older than it, and moves a finished game out of the live list', () => {
    const read = summary({ id: id(3), status: 'active', seq: 9, moveCount: 8 });
    const stale = { ...read, seq: 7, moveCount: 6 };
    expect(overlayLive({ open: [], active: [read], finished: [] }, [stale]).active).toEqual([read]);
    const over = { ...read, seq: 10, status: 'finished' as const, turn: null };
    const out = overlayLive({ open: [], active: [read], finished: [] }, [over]);
    expect(out.active).toEqual([]);
    expect(out.finished.map((g) => g.seq)).toEqual([10]);
  });
});
