import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPgliteDb } from '../../src/db/pglite.js';
import { startGameServer, type GameServer } from '../../src/game-server/start.js';
import { testConfig } from '../helpers/server.js';

/** Acceptance 7: the embedded server (PGlite under DATA_DIR) keeps its data across restarts. */
describe('embedded storage survives a restart', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mt-data-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const start = () => startGameServer({ config: testConfig({ DATA_DIR: dataDir }) , listen: true });
  const call = async (srv: GameServer, method: string, url: string, token?: string, body?: unknown) => {
    const r = await fetch(`http://127.0.0.1:${srv.port}${url}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: r.status, body: (await r.json()) as any };
  };

  it('a player, a game and its moves are there after stop and start on the same DATA_DIR', async () => {
    // Seed DATA_DIR from the migrated template: PGlite's initdb on disk takes tens of
    // seconds on a busy 2-core machine, and what matters here is the restart.
    const seed = await createPgliteDb(path.join(dataDir, 'pg'), { loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
    await seed.close();
    let srv = await start();
    const p = await call(srv, 'POST', '/api/players', undefined, { name: 'Persistent' });
    const g = await call(srv, 'POST', '/api/games', p.body.token, { type: 'connect4', opponent: { kind: 'open' }, seat: 0 });
    expect(g.status).toBe(201);
    const before = await call(srv, 'GET', `/api/games/${g.body.game.id}`);
    await srv.close();

    srv = await start();
    try {
      const after = await call(srv, 'GET', `/api/games/${g.body.game.id}`);
      expect(after.status).toBe(200);
      expect(after.body.game).toEqual(before.body.game);
      const me = await call(srv, 'GET', '/api/players/me', p.body.token);
      expect(me.status).toBe(200);
      expect(me.body.player.name).toBe('Persistent');
      const agents = await call(srv, 'GET', '/api/agents');
      expect(agents.body.agents).toHaveLength(7);
    } finally {
      await srv.close();
    }
  }, 90_000);
});
