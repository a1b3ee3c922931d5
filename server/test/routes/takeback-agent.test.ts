import { describe, expect, it, vi } from 'vitest';
import { backends } from '../helpers/db.js';
import { guest, useFreshServer, waitFor } from '../helpers/server.js';

// Several requests and agent turns per test: generous on a loaded shared machine.
vi.setConfig({ testTimeout: 90_000 });

/**
 * A takeback while the agent is thinking about its reply: the agent's move, planned on
 * the position before the takeback, must not land (its expectedSeq is stale), and the
 * agent answers the person's next move normally. Natural think pauses (×4: about 2–4 s)
 * keep the agent mid-thought when the takeback comes.
 */
describe.each(backends())('takeback during an agent turn ($name)', (backend) => {
  const suite = useFreshServer(backend, { env: { AI_THINK_DELAY: '4' } });

  const get = async (id: string) => (await suite.s.req('GET', `/api/games/${id}`)).body.game;
  const events = async (id: string) => (await suite.s.req('GET', `/api/games/${id}/events`)).body.events as { kind: string; data: any }[];

  it('the agent does not play on the old position, and answers the next move', async () => {
    const me = await guest(suite.s, 'Undo');
    const c = await suite.s.req('POST', '/api/games', { token: me.token, body: { type: 'tictactoe', opponent: { kind: 'agent', agentId: 'championchimp' }, seat: 0 } });
    const id = c.body.game.id as string;
    const m = await suite.s.req('POST', `/api/games/${id}/moves`, { token: me.token, body: { move: { cell: 0 }, expectedSeq: 1 } });
    expect(m.status).toBe(200);
    await waitFor(async () => (await events(id)).some((e) => e.kind === 'agent.thinking'), 30_000, 'the agent thinking');
    const t = await suite.s.req('POST', `/api/games/${id}/offers`, {
      token: me.token, body: { offer: 'takeback', action: 'offer', expectedSeq: (await get(id)).seq },
    });
    expect(t.status, JSON.stringify(t.body)).toBe(200);
    expect(t.body.game).toMatchObject({ moveCount: 0, turn: 0 });
    expect((await events(id)).at(-1)).toMatchObject({ kind: 'takeback', data: { plies: 1, moveCount: 0 } });
    // Longer than the agent's longest pause (900 ms × 4): its stale move was refused.
    await new Promise((r) => setTimeout(r, 4500));
    expect(await get(id)).toMatchObject({ moveCount: 0, turn: 0 });
    expect((await events(id)).filter((e) => e.kind === 'move')).toHaveLength(1);
    const again = await suite.s.req('POST', `/api/games/${id}/moves`, { token: me.token, body: { move: { cell: 4 }, expectedSeq: (await get(id)).seq } });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    const after = await waitFor(async () => { const g = await get(id); return g.moveCount === 2 ? g : null; }, 30_000, 'the agent reply');
    const cells = after.state.cells as (number | null)[];
    expect(cells[4]).toBe(0);
    // The taken-back move is gone (the agent may well answer in that corner itself).
    expect(cells.filter((x) => x === 0)).toHaveLength(1);
    expect(cells.filter((x) => x === 1)).toHaveLength(1);
  }, 90_000);
});
