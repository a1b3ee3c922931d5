import { describe, expect, it } from 'vitest';
import { NewestSummary } from '../src/lib/newest-summary';
import { snapshot } from './fixtures';

const summary = (id: string, seq: number, status: 'open' | 'active' | 'finished') => {
  const { state: _s, legalMoves: _l, agentThinking: _a, clockState: _cs, offers: _o, rematchId: _r, claimAfterSeconds: _ca, ...rest } =
    snapshot({ id, seq, status });
  return rest;
};

describe('the lobby keeps the newest summary of each game', () => {
  const A = '11111111-1111-4111-8111-00000000000a';
  const B = '11111111-1111-4111-8111-00000000000b';

  it('drops a summary older than one already shown (a finished game does not come back as live)', () => {
    const n = new NewestSummary();
    expect(n.isStale(summary(A, 9, 'finished'))).toBe(false);
    expect(n.isStale(summary(A, 8, 'active'))).toBe(true);
    expect(n.isStale(summary(A, 10, 'finished'))).toBe(false);
    expect(n.isStale(summary(B, 1, 'open'))).toBe(false); // other games are judged on their own
  });

  it('judges events against a freshly loaded list', () => {
    const n = new NewestSummary();
    n.note([summary(A, 5, 'active')]);
    expect(n.isStale(summary(A, 4, 'active'))).toBe(true);
    expect(n.isStale(summary(A, 6, 'active'))).toBe(false);
  });
});
