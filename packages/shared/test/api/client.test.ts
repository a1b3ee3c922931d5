import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/schemas/api-error.js';
import { createApiClient, routeUrl } from '../../src/api/index.js';

// The browser's and the renders' REST client (issue 23): what it sends is what the route
// table says, what it returns passed the route's schema, and every failure is an ApiError
// carrying the server's code.
const ID = '00000000-0000-4000-8000-000000000001';
const game = {
  id: ID, type: 'tictactoe', status: 'active', rated: false, seq: 3, players: [], turn: 0, state: {}, legalMoves: [{ cell: 0 }],
  moveCount: 1, result: null, spectators: 0, agentThinking: false, clock: null, clockState: null,
  offers: { draw: null, takeback: null, rematch: null }, rematchId: null, ratingChanges: null, claimAfterSeconds: 30,
  createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
};
const answer = (body: unknown, status = 200) => vi.fn(async (_url: string, _init: RequestInit) => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status }));
const api = createApiClient({ base: '/api', networkMessage: 'offline' });

afterEach(() => vi.unstubAllGlobals());

describe('the table client', () => {
  it('sends the route’s method, path, token, Idempotency-Key and body, and returns the parsed answer', async () => {
    const fetch = answer({ game, seq: 4 });
    vi.stubGlobal('fetch', fetch);
    const out = await api.call('games.move', { params: { id: ID }, body: { move: { cell: 0 }, expectedSeq: 3 }, token: 'tok', headers: { 'idempotency-key': 'k1' } });
    expect(out.seq).toBe(4);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe(`/api/games/${ID}/moves`);
    expect(init.method).toBe('POST');
    expect(init.headers).toMatchObject({ authorization: 'Bearer tok', 'idempotency-key': 'k1', 'content-type': 'application/json' });
    expect(JSON.parse(String(init.body))).toEqual({ move: { cell: 0 }, expectedSeq: 3 });
  });

  it('encodes path parameters and writes the query; a POST without a body schema sends {}', async () => {
    expect(routeUrl('games.get', { params: { id: 'a/b?c' } })).toBe('/games/a%2Fb%3Fc');
    expect(routeUrl('games.list', { query: { status: 'open', limit: 20, cursor: undefined } })).toBe('/games?status=open&limit=20');
    const fetch = answer({ game });
    vi.stubGlobal('fetch', fetch);
    await api.call('games.join', { params: { id: ID }, token: 'tok' });
    expect(fetch.mock.calls[0]![1].body).toBe('{}');
  });

  it('throws the server’s code, message and details; the status comes from the shared table', async () => {
    vi.stubGlobal('fetch', answer({ error: { code: 'stale_seq', message: 'the game is at seq 5', details: { seq: 5 } } }, 409));
    const err = await api.call('games.get', { params: { id: ID } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'stale_seq', status: 409, message: 'the game is at seq 5', details: { seq: 5 } });
  });

  it('a refusal in another shape (a proxy’s page) gets the code its status means', async () => {
    vi.stubGlobal('fetch', answer('<html>Bad Gateway</html>', 502));
    await expect(api.call('agents.list', {})).rejects.toMatchObject({ code: 'unavailable', message: 'Request failed (502)' });
  });

  it('an answer the route’s schema refuses is an error, never handed on', async () => {
    vi.stubGlobal('fetch', answer({ game: { id: ID } }));
    await expect(api.call('games.get', { params: { id: ID } })).rejects.toMatchObject({ code: 'internal' });
  });

  it('a request that never got an answer is `network`; the caller’s own abort stays an abort', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('failed to fetch')));
    await expect(api.call('agents.list', {})).rejects.toMatchObject({ code: 'network', status: 0, message: 'offline' });
    const abort = new AbortController();
    abort.abort();
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(Object.assign(new Error('aborted'), { name: 'AbortError' })));
    await expect(api.call('agents.list', {}, { signal: abort.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  // Issue 25: a render's read whose pooled connection closed under it is sent once more;
  // a write never is, nor a read that timed out, nor a read that failed twice.
  it('resendGetOnce: a GET that got no answer is sent once more; a POST or a time-out is not', async () => {
    const renders = createApiClient({ base: '/api', networkMessage: 'offline', resendGetOnce: true, timeoutMs: 50 });
    const closed = () => Object.assign(new TypeError('fetch failed'), { cause: new Error('other side closed') });
    const once = vi.fn().mockRejectedValueOnce(closed()).mockResolvedValueOnce(new Response(JSON.stringify({ agents: [] })));
    vi.stubGlobal('fetch', once);
    await expect(renders.call('agents.list', {})).resolves.toEqual({ agents: [] });
    expect(once).toHaveBeenCalledTimes(2);

    const always = vi.fn().mockRejectedValue(closed());
    vi.stubGlobal('fetch', always);
    await expect(renders.call('agents.list', {})).rejects.toMatchObject({ code: 'network' });
    expect(always).toHaveBeenCalledTimes(2);

    const write = vi.fn().mockRejectedValue(closed());
    vi.stubGlobal('fetch', write);
    await expect(renders.call('players.create', { body: { name: 'Kiki' } })).rejects.toMatchObject({ code: 'network' });
    expect(write).toHaveBeenCalledTimes(1);

    const slow = vi.fn((_url: string, init: RequestInit) => new Promise((_, reject) => {
      init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
    }));
    vi.stubGlobal('fetch', slow);
    await expect(renders.call('agents.list', {})).rejects.toMatchObject({ code: 'network' });
    expect(slow).toHaveBeenCalledTimes(1);
  });
});
