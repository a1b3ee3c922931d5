import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@monkeytown/test-support';
import { Service } from '../event-stream/processes.js';
import { ISSUE_22_LOAD, runSeam } from './seam.js';
import { problems, report } from './verdict.js';

// Issue 22, acceptance 1 on the embedded backend (what `npm start` runs without
// DATABASE_URL/REDIS_URL): one process, PGlite and the in-process bus. The same eight
// writers put 800 events on one game while 50 other games play and four watchers follow
// it and the lobby: every seq once, in order, at once, 0 resyncs, no lobby row older
// than one already shown. The bus's replay buffer is read by a subscriber from seq 0.
// Needs nothing but the built (or tsx-run) server.
const WRITES = ISSUE_22_LOAD.writes;

describe('every committed event, once, in order, at once: embedded (PGlite + in-process bus)', () => {
  let svc: Service;
  let ws: string;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mt-embedded-writers-'));
  beforeAll(async () => {
    const esPort = await freePort();
    svc = await Service.start('local', {
      DATA_DIR: dataDir,
      EVENT_STREAM_PORT: String(esPort),
      // One test process is hundreds of players on one address: limits out of the way.
      RATE_LIMIT_IP_PER_MIN: '1000000',
      RATE_LIMIT_PLAYER_PER_MIN: '1000000',
      RATE_LIMIT_CREATE_PLAYER_PER_MIN: '1000000',
      CHAT_RATE_LIMIT_PER_10S: '1000000',
      CHAT_RATE_LIMIT_PER_MIN: '1000000',
      CHAT_REPORTS_PER_HOUR: '1000000',
      LOBBY_MOVE_UPDATE_MS: '0',
    }, undefined, { startTimeoutMs: 90_000 });
    ws = `ws://127.0.0.1:${esPort}/ws`;
  }, 120_000);
  afterAll(async () => {
    await svc?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('eight writers on one game, 50 other games, four watchers', async () => {
    const r = await runSeam({ gs: [svc.http], es: [ws] }, ISSUE_22_LOAD);
    console.log(report('embedded', r));
    expect(problems(r, WRITES)).toEqual([]);
  }, 180_000);
});
