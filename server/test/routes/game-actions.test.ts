import { afterAll, describe, expect, it, vi } from 'vitest';
import { createMemoryBus } from '../../src/bus/index.js';
import { backends } from '../helpers/db.js';
import { guest, useFreshServer, waitFor } from '../helpers/server.js';

// Several requests and agent turns per test: generous on a loaded shared machine.
vi.setConfig({ testTimeout: 90_000 });

type Player = { id: string; token: string };
type Snap = {
  id: string; seq: number; status: string; turn: 0 | 1 | null; moveCount: number; rated: boolean; state: any;
  result: { winner: number | null; reason: string } | null; offers: { draw: number | null; takeback: number | null; rematch: number | null };
  claimAfterSeconds: number;
};

/** Abort, draw offers, takebacks and claims (issue 12), as two people and against an agent. */
describe.each(backends())('live-game actions ($name)', (backend) => {
  // The bus's afterAll is registered first, so it runs after the server has closed.
  const bus = createMemoryBus();
  afterAll(async () => {
    await bus.close();
  });
  const suite = useFreshServer(backend, { bus, env: { DISCONNECT_CLAIM_SECONDS: '1' } });

  const get = async (id: string): Promise<Snap> => (await suite.s.req('GET', `/api/games/${id}`)).body.game;
  const post = (id: string, path: string, p: Player, body: object, headers?: Record<string, string>) =>
    suite.s.req('POST', `/api/games/${id}/${path}`, { token: p.token, body, ...(headers ? { headers } : {}) });
  const offer = async (id: string, p: Player, o: string, action: string) => post(id, 'offers', p, { offer: o, action, expectedSeq: (await get(id)).seq });
  const move = async (id: string, p: Player, cell: number) => {
    const r = await post(id, 'moves', p, { move: { cell }, expectedSeq: (await get(id)).seq });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };
  const ratingRows = async (ids: string[]) =>
    (await suite.tdb.db.query('SELECT player_id, rating, rd, games FROM ratings WHERE player_id = ANY($1::uuid[]) ORDER BY player_id', [ids])).rows;

  /** A rated tic-tac-toe game between two new guests, A in seat 0 (moves first). */
  async function pair(rated = true): Promise<{ id: string; a: Player; b: Player }> {
    const a = await guest(suite.s, 'Ann');
    const b = await guest(suite.s, 'Ben');
    const c = await suite.s.req('POST', '/api/games', { token: a.token, body: { type: 'tictactoe', opponent: { kind: 'open' }, seat: 0, rated } });
    expect((await suite.s.req('POST', `/api/games/${c.body.game.id}/join`, { token: b.token })).status).toBe(200);
    return { id: c.body.game.id, a, b };
  }
  const kinds = async (id: string) => {
    const r = await suite.s.req('GET', `/api/games/${id}/events`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.events as { kind: string; data: any }[];
  };

  it('abort before both sides moved ends the game unrated; no rating row changes; after two moves it is refused', async () => {
    const { id, a, b } = await pair();
    const before = await ratingRows([a.id, b.id]);
    await move(id, a, 4);
    const r = await post(id, 'abort', b, { expectedSeq: (await get(id)).seq });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.game).toMatchObject({ status: 'finished', result: { winner: null, reason: 'aborted' } });
    expect(await ratingRows([a.id, b.id])).toEqual(before);
    const over = (await kinds(id)).at(-1)!;
    expect(over).toMatchObject({ kind: 'game.over', data: { result: { reason: 'aborted' } } });
    expect(over.data.ratings).toBeUndefined();

    const g2 = await pair();
    await move(g2.id, g2.a, 0);
    await move(g2.id, g2.b, 4);
    const late = await post(g2.id, 'abort', g2.a, { expectedSeq: (await get(g2.id)).seq });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('not_abortable');
    expect((await get(g2.id)).status).toBe('active');
  });

  it('every action by a non-player is 403, a stale expectedSeq 409; nothing changes', async () => {
    const { id, a } = await pair();
    const stranger = await guest(suite.s, 'Eve');
    await move(id, a, 0);
    const seq = (await get(id)).seq;
    const bodies: [string, object][] = [
      ['abort', { expectedSeq: seq }],
      ['offers', { offer: 'draw', action: 'offer', expectedSeq: seq }],
      ['claim', { outcome: 'win', expectedSeq: seq }],
    ];
    for (const [path, body] of bodies) {
      const r = await post(id, path, stranger, body);
      expect(r.status, path).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
      const stale = await post(id, path, a, { ...body, expectedSeq: seq - 1 });
      expect(stale.status, path).toBe(409);
      expect(stale.body.error.code).toBe('stale_seq');
    }
    const bad = await post(id, 'offers', a, { offer: 'peace', action: 'offer', expectedSeq: seq });
    expect(bad.status).toBe(400);
    const after = await get(id);
    expect(after).toMatchObject({ seq, status: 'active', offers: { draw: null, takeback: null, rematch: null } });
  });

  it('replays an action under the same Idempotency-Key and refuses the key for another request', async () => {
    const { id, a } = await pair();
    const body = { expectedSeq: (await get(id)).seq };
    const key = { 'idempotency-key': `abort-${id}` };
    const first = await post(id, 'abort', a, body, key);
    expect(first.status).toBe(200);
    const again = await post(id, 'abort', a, body, key);
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await kinds(id)).filter((e) => e.kind === 'game.over')).toHaveLength(1);
    const other = await post(id, 'offers', a, { offer: 'rematch', action: 'offer', expectedSeq: first.body.game.seq }, key);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
  });

  it('draw offers: decline, accept, both offering; a move by the other side makes an offer lapse', async () => {
    const { id, a, b } = await pair();
    const o = await offer(id, a, 'draw', 'offer');
    expect(o.status, JSON.stringify(o.body)).toBe(200);
    expect(o.body.game.offers.draw).toBe(0);
    // A offered on its own turn: its own move keeps the offer standing...
    await move(id, a, 0);
    expect((await get(id)).offers.draw).toBe(0);
    const d = await offer(id, b, 'draw', 'decline');
    expect(d.status).toBe(200);
    expect(d.body.game.offers.draw).toBeNull();
    expect((await offer(id, b, 'draw', 'accept')).body.error.code).toBe('no_offer');
    // ...B's move makes it lapse, with no answer.
    await offer(id, a, 'draw', 'offer');
    await move(id, b, 4);
    expect((await get(id)).offers.draw).toBeNull();
    const lapsed = await offer(id, b, 'draw', 'accept');
    expect(lapsed.status).toBe(409);
    expect(lapsed.body.error.code).toBe('no_offer');
    // Offered, then accepted: a draw by agreement.
    await offer(id, b, 'draw', 'offer');
    const acc = await offer(id, a, 'draw', 'accept');
    expect(acc.status).toBe(200);
    expect(acc.body.game).toMatchObject({ status: 'finished', result: { winner: null, reason: 'agreement' } });
    const ev = await kinds(id);
    expect(ev.filter((e) => e.kind === 'offer').map((e) => `${e.data.offer}:${e.data.action}:${e.data.seat}`))
      .toEqual(['draw:offered:0', 'draw:declined:1', 'draw:offered:0', 'draw:offered:1', 'draw:accepted:0']);
    expect(ev.at(-1)).toMatchObject({ kind: 'game.over', data: { result: { reason: 'agreement' } } });

    // Both offering at once is an agreement too.
    const g2 = await pair(false);
    await offer(g2.id, g2.a, 'draw', 'offer');
    const both = await offer(g2.id, g2.b, 'draw', 'offer');
    expect(both.body.game.result).toMatchObject({ reason: 'agreement' });
  });

  it('takeback against a person: the request lapses with a move; accepted, the moves are undone and their rows deleted', async () => {
    const { id, a, b } = await pair();
    await move(id, a, 0);
    await offer(id, a, 'takeback', 'offer');
    expect((await get(id)).offers.takeback).toBe(0);
    await move(id, b, 4); // B answers with a move instead: the request lapses
    expect((await get(id)).offers.takeback).toBeNull();
    expect((await offer(id, b, 'takeback', 'accept')).body.error.code).toBe('no_offer');
    // A asks again on its own turn: its move and B's reply are undone.
    await offer(id, a, 'takeback', 'offer');
    const acc = await offer(id, b, 'takeback', 'accept');
    expect(acc.status, JSON.stringify(acc.body)).toBe(200);
    expect(acc.body.game).toMatchObject({ moveCount: 0, turn: 0, status: 'active', offers: { takeback: null } });
    expect(acc.body.game.state.cells.every((c: unknown) => c === null)).toBe(true);
    const rows = await suite.tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM moves WHERE game_id = $1', [id]);
    expect(rows.rows[0]!.n).toBe(0);
    expect((await kinds(id)).at(-1)).toMatchObject({ kind: 'takeback', data: { plies: 2, moveCount: 0, turn: 0 } });
    // Play goes on from the rebuilt position (move numbers reused).
    await move(id, a, 8);
    await offer(id, a, 'takeback', 'offer'); // B to move: only A's move is undone
    const one = await offer(id, b, 'takeback', 'accept');
    expect(one.body.game).toMatchObject({ moveCount: 0, turn: 0 });
    await move(id, a, 2);
    await move(id, b, 4);
    expect((await get(id)).state.cells).toEqual([null, null, 0, null, 1, null, null, null, null]);
    // Nothing to take back for a player with no move: refused.
    const fresh = await pair();
    expect((await offer(fresh.id, fresh.b, 'takeback', 'offer')).status).toBe(409);
  });

  it("against an agent: a takeback is granted at once and the agent does not re-move; draws are the agent's call", async () => {
    const me = await guest(suite.s, 'Solo');
    const c = await suite.s.req('POST', '/api/games', { token: me.token, body: { type: 'tictactoe', opponent: { kind: 'agent', agentId: 'championchimp' }, seat: 0 } });
    const id = c.body.game.id as string;
    await move(id, me, 0);
    // Generous: the first search of a server starts its worker threads (slow on a loaded machine).
    await waitFor(async () => (await get(id)).moveCount === 2, 30_000, 'agent reply');
    const t = await offer(id, me, 'takeback', 'offer');
    expect(t.status, JSON.stringify(t.body)).toBe(200);
    expect(t.body.game).toMatchObject({ moveCount: 0, turn: 0, status: 'active', agentThinking: false });
    await new Promise((r) => setTimeout(r, 500));
    expect(await get(id)).toMatchObject({ moveCount: 0, turn: 0 });
    await move(id, me, 4);
    const replied = await waitFor(async () => { const g = await get(id); return g.moveCount === 2 ? g : null; }, 30_000, 'agent reply after takeback');
    expect(replied.state.cells[4]).toBe(0);
    // Tic-tac-toe from here is a draw with perfect play: the agent accepts.
    const d = await offer(id, me, 'draw', 'offer');
    expect(d.body.game).toMatchObject({ status: 'finished', result: { reason: 'agreement', winner: null } });

    // Connect four at the start: far from drawn, the agent declines.
    const c4 = await suite.s.req('POST', '/api/games', { token: me.token, body: { type: 'connect4', opponent: { kind: 'agent', agentId: 'championchimp' }, seat: 0 } });
    const no = await offer(c4.body.game.id, me, 'draw', 'offer');
    expect(no.body.game).toMatchObject({ status: 'active', offers: { draw: null } });
    expect((await kinds(c4.body.game.id)).filter((e) => e.kind === 'offer').map((e) => `${e.data.action}:${e.data.seat}`)).toEqual(['offered:0', 'declined:1']);
  }, 90_000);

  it('claim: refused while the opponent is here and before claimAfterSeconds, allowed after', async () => {
    const { id, a, b } = await pair();
    await move(id, a, 0);
    expect((await get(id)).claimAfterSeconds).toBe(1);
    const topic = `game:${id}` as const;
    // The event stream reports both players on the game, then B's tab closes.
    await bus.setPresence(topic, 2, [{ playerId: a.id, tokenVersion: 0 }, { playerId: b.id, tokenVersion: 0 }]);
    const claim = async () => post(id, 'claim', a, { outcome: 'win', expectedSeq: (await get(id)).seq });
    const here = await claim();
    expect(here.status).toBe(409);
    expect(here.body.error.code).toBe('not_claimable');
    await bus.setPresence(topic, 1, [{ playerId: a.id, tokenVersion: 0 }]);
    const soon = await claim();
    expect(soon.status).toBe(409);
    expect(soon.body.error).toMatchObject({ code: 'not_claimable', details: { retryAfter: 1 } });
    await new Promise((r) => setTimeout(r, 1100));
    const ok = await claim();
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.game).toMatchObject({ status: 'finished', result: { winner: 0, reason: 'left' } });
    // A draw may be claimed instead. A never opened this game: gone since its last change (B's join).
    const g2 = await pair();
    const early = await post(g2.id, 'claim', g2.b, { outcome: 'draw', expectedSeq: (await get(g2.id)).seq });
    expect(early.body.error?.code).toBe('not_claimable');
    await new Promise((r) => setTimeout(r, 1100));
    const draw = await post(g2.id, 'claim', g2.b, { outcome: 'draw', expectedSeq: (await get(g2.id)).seq });
    expect(draw.status, JSON.stringify(draw.body)).toBe(200);
    expect(draw.body.game.result).toMatchObject({ winner: null, reason: 'left' });
    // An agent never leaves. (The person moves first: an agent's opening move landing between
    // reading the seq and claiming would make the claim stale instead.)
    const me = await guest(suite.s, 'Solo2');
    const vsAgent = await suite.s.req('POST', '/api/games', { token: me.token, body: { type: 'tictactoe', opponent: { kind: 'agent', agentId: 'championchimp' }, seat: 0 } });
    const r = await post(vsAgent.body.game.id, 'claim', me, { outcome: 'win', expectedSeq: (await get(vsAgent.body.game.id)).seq });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('not_claimable');
  });

  it('claim: a stream still open with a token its player signed out does not hold the game', async () => {
    const { id, a, b } = await pair();
    await move(id, a, 0);
    await move(id, b, 4);
    const topic = `game:${id}` as const;
    // B's stream stays open, and no event-stream hears of the sign-out (an announcement lost).
    await bus.setPresence(topic, 2, [{ playerId: a.id, tokenVersion: 0 }, { playerId: b.id, tokenVersion: 0 }]);
    const opened = Date.now();
    const claim = async () => post(id, 'claim', a, { outcome: 'win', expectedSeq: (await get(id)).seq });
    expect((await claim()).body.error).toMatchObject({ code: 'not_claimable', message: 'your opponent is still here' });
    expect((await suite.s.req('POST', '/api/players/me/sign-out', { token: b.token })).status).toBe(200);
    expect(await bus.tokenFloors([b.id])).toEqual(new Map([[b.id, 1]])); // announced on the bus
    // B counts as gone since that stream opened (a signed-out guest never gets a token again).
    const soon = await claim();
    if (Date.now() - opened < 900) expect(soon.body.error).toMatchObject({ code: 'not_claimable', details: { retryAfter: 1 } });
    await new Promise((r) => setTimeout(r, Math.max(0, opened + 1100 - Date.now())));
    const ok = await claim();
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.game.result).toMatchObject({ winner: 0, reason: 'left' });
  });
});
