import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type ConnectionState, type EventStreamClient, type PresencePlayer, type StreamEvent } from '../../src/client/index.js';
import type { BusEvent, Topic } from '../../src/schemas/index.js';
// The real event-stream (server workspace) over an in-process bus: the client is
// tested against the server it talks to in production.
import { createMemoryBus, type Bus } from '../../../../server/src/bus/index.js';
import { loadEventStreamConfig, startEventStream, type EventStream } from '../../../../server/src/event-stream/index.js';
import { TokenService } from '../../../../server/src/auth/tokens.js';
import { DEFAULT_SESSION_SECRET } from '../../../../server/src/config/index.js';

const gameTopic = (): Topic => `game:${crypto.randomUUID()}` as Topic;
const PLAYER = '00000000-0000-4000-8000-000000000001';
/** A valid game event (a chat line) at `seq`. */
const ev = (topic: Topic, seq: number): BusEvent => ({ topic, seq, kind: 'chat', data: { playerId: PLAYER, name: 'Ann', text: `line ${seq}` }, at: new Date().toISOString() });
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

async function until(pred: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('event-stream client against the real server', () => {
  let bus: Bus;
  let es: EventStream;
  let port = 0;
  const clients: EventStreamClient[] = [];
  const start = async (opts: { replayMaxLen?: number } = {}) => {
    bus ??= createMemoryBus({ replayMaxLen: opts.replayMaxLen ?? 100 });
    const config = loadEventStreamConfig({
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      SHUTDOWN_GRACE_MS: '500',
      WS_UNKNOWN_TOPIC_GRACE_MS: '200',
    });
    es = await startEventStream({ config, bus });
    port = es.port;
  };
  const client = (opts: Parameters<typeof connect>[1] = {}) => {
    const c = connect(`ws://127.0.0.1:${port}/ws`, { WebSocket, backoff: { initialMs: 50, maxMs: 400 }, ...opts });
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await es?.close();
    await bus?.close();
    bus = undefined as never;
    port = 0;
  });

  it('subscribes, resumes from sinceSeq and reports its state', async () => {
    await start();
    const topic = gameTopic();
    await bus.publish(range(1, 5).map((s) => ev(topic, s)));
    const states: ConnectionState[] = [];
    const c = client({ onState: (s) => states.push(s) });
    const got: number[] = [];
    c.subscribe(topic, (e) => got.push(e.seq), { sinceSeq: 2 });
    await until(() => got.length === 3, 5000, 'replayed events');
    await bus.publish([ev(topic, 6)]);
    await until(() => got.length === 4);
    expect(got).toEqual([3, 4, 5, 6]);
    expect(states).toEqual(['open']);
    expect(c.lastSeq(topic)).toBe(6);
  });

  it('reconnects after the server restarts (1012) and gets what it missed, once, in order', async () => {
    await start();
    const topic = gameTopic();
    await bus.publish([ev(topic, 1)]);
    const states: ConnectionState[] = [];
    const c = client({ onState: (s) => states.push(s) });
    const got: number[] = [];
    c.subscribe(topic, (e) => got.push(e.seq), { sinceSeq: 0 });
    await until(() => got.length === 1);
    await es.close(); // the "replica" goes away
    await bus.publish(range(2, 10).map((s) => ev(topic, s))); // missed while away
    await start(); // comes back on the same port, same bus
    await until(() => got.length === 10, 5000, 'all events after reconnect');
    await bus.publish([ev(topic, 11)]);
    await until(() => got.length === 11);
    expect(got).toEqual(range(1, 11));
    expect(states).toEqual(['open', 'reconnecting', 'open']);
  });

  it('reconnectNow drops the socket and connects again at once, resuming after the last seq it delivered', async () => {
    await start();
    const topic = gameTopic();
    await bus.publish([ev(topic, 1)]);
    const states: ConnectionState[] = [];
    // A backoff far longer than the test: only reconnectNow can bring it back in time.
    const c = client({ onState: (s) => states.push(s), backoff: { initialMs: 60_000, maxMs: 60_000 } });
    const got: number[] = [];
    c.subscribe(topic, (e) => got.push(e.seq), { sinceSeq: 0 });
    await until(() => got.length === 1);
    c.reconnectNow();
    expect(c.state).toBe('reconnecting');
    await bus.publish(range(2, 4).map((s) => ev(topic, s)));
    await until(() => got.length === 4, 5000, 'events after reconnectNow');
    expect(got).toEqual(range(1, 4));
    expect(states).toEqual(['open', 'reconnecting', 'open']);
  });

  it('the lobby resumes too: after a 1012 it gets what it missed, once, in order, and no resync', async () => {
    await start();
    const lobby = (id: string): BusEvent => ({ topic: 'lobby', seq: Number.parseInt(id.slice(-4), 16), kind: 'lobby.game',
      data: { game: { id, type: 'tictactoe', status: 'open', rated: false, seq: 1, players: [], turn: 0, moveCount: 0, result: null,
        spectators: 0, clock: null, ratingChanges: null, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() } }, at: new Date().toISOString() });
    const ids = range(1, 6).map((i) => `00000000-0000-4000-8000-00000000000${i}`);
    const c = client();
    const got: string[] = [];
    const resyncs: unknown[] = [];
    c.subscribe('lobby', (e) => got.push(e.data.game.id), { onResync: (info) => void resyncs.push(info) });
    await until(() => c.state === 'open');
    await new Promise((r) => setTimeout(r, 100)); // the subscription is live
    await bus.publish(ids.slice(0, 2).map(lobby));
    await until(() => got.length === 2, 5000, 'live lobby events');
    await es.close();
    await bus.publish(ids.slice(2, 5).map(lobby)); // missed while away
    await start();
    await until(() => got.length === 5, 5000, 'missed lobby events after reconnect');
    await bus.publish([lobby(ids[5]!)]);
    await until(() => got.length === 6);
    expect(got).toEqual(ids);
    expect(resyncs).toEqual([]);
  });

  it('on resync, delivers what onResync fetched, then live events, without gaps or duplicates', async () => {
    await start({ replayMaxLen: 5 });
    const topic = gameTopic();
    const history: BusEvent[] = range(1, 40).map((s) => ev(topic, s));
    await bus.publish(history.slice(0, 30)); // the buffer keeps only 26..30
    const got: number[] = [];
    const resyncs: (number | null)[] = [];
    const c = client();
    c.subscribe(topic, (e) => got.push(e.seq), {
      sinceSeq: 3,
      // e.g. GET /api/games/:id/events?after=lastSeq
      onResync: async ({ lastSeq }) => {
        resyncs.push(lastSeq);
        await new Promise((r) => setTimeout(r, 50));
        return { events: history.filter((e) => e.seq > (lastSeq ?? 0) && e.seq <= 30) };
      },
    });
    await until(() => got.length >= 27, 5000, 'resynced events');
    await bus.publish(history.slice(30));
    await until(() => got.at(-1) === 40);
    expect(resyncs).toEqual([3]);
    expect(got).toEqual(range(4, 40));
  });

  it('identifies the player by token; a bad token closes for good (no reconnect loop)', async () => {
    await start();
    const id = crypto.randomUUID();
    const token = await new TokenService(DEFAULT_SESSION_SECRET).sign(id);
    const good = client({ token: () => token });
    await until(() => good.state === 'open' && good.playerId === id);
    const states: ConnectionState[] = [];
    const errors: string[] = [];
    const bad = client({ token: 'not-a-token', onState: (s) => states.push(s), onError: (e) => errors.push(e.code) });
    await until(() => bad.state === 'closed', 5000, 'closed');
    await new Promise((r) => setTimeout(r, 300));
    expect(states).toEqual(['closed']);
    expect(errors).toEqual(['unauthorized']);
  });

  it('hands each player\'s presence on a game to onPresence: online, then offline since they left', async () => {
    await start();
    const topic = gameTopic();
    await bus.publish([ev(topic, 1)]);
    const id = crypto.randomUUID();
    const token = await new TokenService(DEFAULT_SESSION_SECRET).sign(id);
    const seen: { spectators: number; players: PresencePlayer[] | undefined }[] = [];
    client().subscribe(topic, () => {}, { sinceSeq: 1, onPresence: (spectators, players) => seen.push({ spectators, players }) });
    const player = client({ token: () => token });
    player.subscribe(topic, () => {}, { sinceSeq: 1 });
    const mine = () => seen.at(-1)?.players?.find((p) => p.playerId === id);
    await until(() => mine()?.online === true, 5000, 'player online');
    expect(seen.at(-1)?.spectators).toBe(2);
    const left = Date.now();
    player.close();
    await until(() => mine()?.online === false, 5000, 'player offline');
    expect(Math.abs(Date.parse(mine()!.since) - left)).toBeLessThan(2000);
  });

  it('reports not_found for a game nobody published, per topic', async () => {
    await start();
    const c = client();
    const errs: string[] = [];
    c.subscribe(gameTopic(), () => {}, { onError: (e) => errs.push(`${e.code}:${e.topic ? 'topic' : ''}`) });
    await until(() => errs.length === 1, 3000, 'not_found');
    expect(errs).toEqual(['not_found:topic']);
  });
});

describe('event-stream client protocol handling (scripted socket)', () => {
  /** A WebSocket stand-in whose server side the test scripts. */
  class FakeSocket {
    static last: FakeSocket | undefined;
    static opened = 0;
    readyState = 0;
    sent: unknown[] = [];
    onopen: ((ev: unknown) => void) | null = null;
    onmessage: ((ev: { data: unknown }) => void) | null = null;
    onclose: ((ev: { code: number; reason: string }) => void) | null = null;
    onerror: ((ev: unknown) => void) | null = null;
    constructor(
      readonly url: string,
      readonly protocols?: string | string[],
    ) {
      FakeSocket.last = this;
      FakeSocket.opened++;
      setTimeout(() => {
        this.readyState = 1;
        this.onopen?.({});
        this.emit({ type: 'hello', connectionId: 'c', heartbeatMs: 20_000, playerId: null });
      }, 0);
    }
    send(d: string) {
      this.sent.push(JSON.parse(d));
    }
    close(code = 1000, reason = '') {
      this.readyState = 3;
      setTimeout(() => this.onclose?.({ code, reason }), 0);
    }
    emit(msg: unknown) {
      this.onmessage?.({ data: typeof msg === 'string' ? msg : JSON.stringify(msg) });
    }
  }

  it('drops duplicate and old seqs, ignores junk, and resumes after the last seq it delivered', async () => {
    FakeSocket.opened = 0;
    const c = connect('ws://x/ws', { WebSocket: FakeSocket, backoff: { initialMs: 10, maxMs: 20 } });
    const topic = gameTopic();
    const got: StreamEvent[] = [];
    c.subscribe(topic, (e) => got.push(e));
    await until(() => c.state === 'open');
    const s = FakeSocket.last!;
    expect(s.sent).toEqual([{ type: 'subscribe', topic }]);
    for (const seq of [1, 2, 2, 1, 3]) s.emit({ type: 'event', ...ev(topic, seq) });
    s.emit('garbage');
    s.emit({ type: 'event', topic, seq: 'x' });
    expect(got.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(got[0]).not.toHaveProperty('type');
    s.close(1006);
    await until(() => FakeSocket.opened === 2 && c.state === 'open', 2000, 'reconnect');
    expect(FakeSocket.last!.sent).toEqual([{ type: 'subscribe', topic, sinceSeq: 3 }]);
    c.close();
  });

  it('hands over payloads typed by kind, and reports (does not deliver) one that does not match its schema', async () => {
    const errors: string[] = [];
    const c = connect('ws://x/ws', { WebSocket: FakeSocket, backoff: { initialMs: 10, maxMs: 20 } });
    const topic = gameTopic();
    const texts: string[] = [];
    const seqs: number[] = [];
    c.subscribe(topic, (e) => {
      seqs.push(e.seq);
      if (e.kind === 'chat') texts.push(e.data.text); // typed: no cast
    }, { onError: (e) => errors.push(`${e.code} ${e.message}`) });
    const lobby: string[] = [];
    c.subscribe('lobby', (e) => lobby.push(e.data.game.id));
    await until(() => c.state === 'open');
    const s = FakeSocket.last!;
    s.emit({ type: 'event', ...ev(topic, 1) });
    s.emit({ type: 'event', topic, seq: 2, kind: 'move', data: { cell: 4 }, at: '' }); // not a move event's payload
    s.emit({ type: 'event', topic, seq: 3, kind: 'no.such.kind', data: {}, at: '' });
    s.emit({ type: 'event', ...ev(topic, 4) });
    s.emit({ type: 'event', topic: 'lobby', seq: 7, kind: 'lobby.game', data: { game: { id: 'x' } }, at: '' });
    expect(seqs).toEqual([1, 4]);
    expect(texts).toEqual(['line 1', 'line 4']);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^validation_failed event 2 \(move\) does not match its schema/);
    expect(lobby).toEqual([]);
    c.close();
  });

  it('asks onResync (the system of record) once for an event whose stream copy is malformed, and delivers its answer in order', async () => {
    const c = connect('ws://x/ws', { WebSocket: FakeSocket, backoff: { initialMs: 10, maxMs: 20 } });
    const topic = gameTopic();
    const got: string[] = [];
    const asked: (number | null)[] = [];
    let answer: BusEvent = ev(topic, 2);
    c.subscribe(topic, (e) => e.kind === 'chat' && got.push(`${e.seq}:${e.data.text}`), {
      onError: () => {},
      onResync: async ({ lastSeq }) => {
        asked.push(lastSeq);
        await new Promise((r) => setTimeout(r, 20));
        return { events: [answer] };
      },
    });
    await until(() => c.state === 'open');
    const s = FakeSocket.last!;
    s.emit({ type: 'event', ...ev(topic, 1) });
    s.emit({ type: 'event', topic, seq: 2, kind: 'chat', data: null, at: '' }); // published without its data
    s.emit({ type: 'event', ...ev(topic, 3) }); // arrives while the refetch is out: held, then delivered
    await until(() => got.length === 3, 2000, 'events 1-3');
    expect(got).toEqual(['1:line 1', '2:line 2', '3:line 3']);
    expect(asked).toEqual([1]);
    // Asked once per seq: an answer as malformed as the stream's is final (no loop), the stream goes on.
    answer = { ...ev(topic, 4), data: null };
    s.emit({ type: 'event', topic, seq: 4, kind: 'chat', data: null, at: '' });
    s.emit({ type: 'event', ...ev(topic, 5) });
    await until(() => got.length === 4, 2000, 'event 5');
    expect(asked).toEqual([1, 3]);
    expect(got.at(-1)).toBe('5:line 5');
    c.close();
  });

  it('signs in through Sec-WebSocket-Protocol: the token is never in the URL', async () => {
    const c = connect('ws://x/ws', { WebSocket: FakeSocket, token: 'header.payload.sig' });
    await until(() => c.state === 'open');
    expect(FakeSocket.last!.url).toBe('ws://x/ws');
    expect(FakeSocket.last!.protocols).toEqual(['monkeytown.v1', 'monkeytown.token.header.payload.sig']);
    c.close();
    const anon = connect('ws://x/ws', { WebSocket: FakeSocket });
    await until(() => anon.state === 'open');
    expect(FakeSocket.last!.protocols).toEqual(['monkeytown.v1']);
    anon.close();
  });
});
