import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type StreamEvent } from '@monkeytown/shared/client';
import { freePort } from '@monkeytown/test-support';
import { Service } from './processes.js';

/**
 * Issue 15: a guest token must not reach any log line. One process runs the game-server
 * and the event-stream (embedded mode) at LOG_LEVEL=debug and ACCESS_LOG=all; a full game is played over
 * REST and followed live over the WebSocket with the token, plus the failure paths
 * (a forged token, a rename, sign-out, the signed-out token refused); then every line
 * of its output is searched for the token and for each of its parts.
 */
describe('no token in any log line', () => {
  let svc: Service;
  let api: string;
  let ws: string;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'mt-logs-'));
    const esPort = await freePort();
    svc = await Service.start(
      'local',
      // ACCESS_LOG=all: a line for every request (the default counts the successful ones), so every request's line is searched.
      { LOG_LEVEL: 'debug', ACCESS_LOG: 'all', DATA_DIR: dataDir, EVENT_STREAM_PORT: String(esPort), AI_THINK_DELAY: '0', DATABASE_URL: '', REDIS_URL: '' },
      undefined,
      { keepAll: true, startTimeoutMs: 100_000 }, // a new PGlite data dir: initdb + migrations
    );
    api = `${svc.http}/api`;
    ws = `ws://127.0.0.1:${esPort}/ws`;
  }, 120_000);
  afterAll(async () => {
    await svc?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Every REST call made, as its request line will name it: each must be in the log. */
  const made: string[] = [];
  const call = async (method: string, p: string, token?: string, body?: unknown) => {
    made.push(`"method":"${method}","url":"/api${p}"`);
    const res = await fetch(`${api}${p}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('a full game, live over the WebSocket, leaves the token out of every line', { timeout: 120_000 }, async () => {
    const me = (await call('POST', '/players', undefined, { name: 'Logged' })).body;
    const token: string = me.token;
    const created = await call('POST', '/games', token, { type: 'tictactoe', opponent: { kind: 'agent', agentId: 'wildcardlemur' }, rated: false, seat: 0 });
    const gameId: string = created.body.game.id;

    const events: StreamEvent[] = [];
    const client = connect(ws, { WebSocket: WebSocket as never, token });
    client.subscribe(`game:${gameId}`, (e) => events.push(e), { sinceSeq: 0 });
    for (let i = 0; i < 9; i++) {
      const g = (await call('GET', `/games/${gameId}`)).body.game;
      if (g.status === 'finished') break;
      if (g.turn !== 0) {
        await new Promise((r) => setTimeout(r, 50));
        i--;
        continue;
      }
      const r = await call('POST', `/games/${gameId}/moves`, token, { move: g.legalMoves[0], expectedSeq: g.seq });
      expect([200, 409]).toContain(r.status);
    }
    const deadline = Date.now() + 20_000;
    while (!events.some((e) => e.kind === 'game.over') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(events.some((e) => e.kind === 'game.over')).toBe(true);
    expect(client.playerId).toBe(me.player.id); // the socket was signed in with the token
    client.close();

    // Failure paths log too: a forged token on REST and WS, a rename, sign-out, the revoked token.
    const forged = `${token.slice(0, -4)}AAAA`;
    expect((await call('GET', '/players/me', forged)).status).toBe(401);
    const bad = connect(ws, { WebSocket: WebSocket as never, token: forged });
    const badDeadline = Date.now() + 5000;
    while (bad.state !== 'closed' && Date.now() < badDeadline) await new Promise((r) => setTimeout(r, 20));
    expect((await call('PATCH', '/players/me', token, { name: 'Renamed' })).status).toBe(200);
    expect((await call('POST', '/players/me/sign-out', token, {})).status).toBe(200);
    expect((await call('GET', '/players/me', token)).status).toBe(401);
    // The logger writes asynchronously: wait for the line of every request made (how
    // many there are depends on how fast the agent answered, so no fixed count).
    const missing = () => {
      const log = svc.output.join('');
      return made.filter((m) => !log.includes(m));
    };
    const flushed = Date.now() + 5000;
    while (missing().length && Date.now() < flushed) await new Promise((r) => setTimeout(r, 50));

    const log = svc.output.join('');
    const lines = log.split('\n').filter(Boolean);
    // The logs are there and name every request, failures included: the check below is not vacuous.
    expect(missing(), 'requests without a log line').toEqual([]);
    expect(made.length).toBeGreaterThan(10);
    expect(log).toContain(gameId);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    for (const secret of [token, forged, payload, signature, `${header}.${payload}`]) {
      const leaks = lines.filter((l) => l.includes(secret));
      expect(leaks, `token part ${secret.slice(0, 12)}… appears in the logs`).toEqual([]);
    }
  });
});
