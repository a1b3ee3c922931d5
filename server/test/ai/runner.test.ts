import { describe, expect, it } from 'vitest';
import { connect4 } from '@monkeytown/shared/games';
import { backends, pgliteBackend } from '../helpers/db.js';
import { guest, startTestServer, useFreshServer, waitFor } from '../helpers/server.js';

describe('AI search runs off the event loop', () => {
  const t = useFreshServer(pgliteBackend, { listen: true });

  it('/health/live answers over HTTP while an agent is mid-search in a worker', async () => {
    // ChampionChimp on an empty connect-four board: its deepest search (~150k nodes).
    let searching = true;
    const search = t.s.pool.choose({ type: 'connect4', state: connect4.initialState(), agentId: 'championchimp', seed: 7 });
    void search.finally(() => (searching = false));
    const answeredDuringSearch: boolean[] = [];
    while (searching) {
      const r = await fetch(`http://127.0.0.1:${t.s.port}/health/live`);
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ status: 'ok' });
      answeredDuringSearch.push(searching);
    }
    const result = await search;
    expect(result.stats.nodes).toBeGreaterThan(10_000);
    // Had the search run on the main thread, no response could arrive before it ended.
    expect(answeredDuringSearch.filter(Boolean).length).toBeGreaterThan(0);
  });
});

describe.each(backends())('AI turns survive a dead replica ($name)', (backend) => {
  const t = useFreshServer(backend, { env: { AI_SWEEP_MS: '100', AI_LEASE_MS: '1000' } });

  it('a turn claimed by a replica that died is played by the sweeper after the lease expires', { timeout: 60_000 }, async () => {
    const me = await guest(t.s, 'Survivor');
    // Simulate the dead replica: a game whose agent turn is due and claimed (lease
    // running), with nobody working on it — as if the claimer crashed mid-thought.
    await t.s.ai.stop();
    const c = await t.s.req('POST', '/api/games', { token: me.token, body: { type: 'tictactoe', opponent: { kind: 'agent', agentId: 'guardiangorilla' }, seat: 1 } });
    const id = c.body.game.id as string;
    await t.tdb.db.query("UPDATE games SET ai_claimed_until = now() + interval '1 second' WHERE id = $1", [id]);
    expect((await t.s.req('GET', `/api/games/${id}`)).body.game.moveCount).toBe(0);
    // A fresh replica (its sweeper) comes up on the same database.
    const other = await startTestServer(t.tdb.db, { env: { AI_SWEEP_MS: '100', AI_LEASE_MS: '1000' } });
    try {
      // The fresh replica starts its AI worker first (in source mode it compiles every
      // game's search with tsx): allow for that on a loaded machine.
      const g = await waitFor(async () => {
        const x = (await other.req('GET', `/api/games/${id}`)).body.game;
        return x.moveCount === 1 ? x : null;
      }, 30_000, 'agent move by the sweeper');
      expect(g.turn).toBe(1);
      const claimedBefore = await t.tdb.db.query<{ at: Date }>("SELECT at FROM events WHERE game_id = $1 AND kind = 'move'", [id]);
      expect(claimedBefore.rowCount).toBe(1);
    } finally {
      await other.close();
    }
  });
});
