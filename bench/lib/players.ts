// Simulated players: guest accounts made through the API and one event-stream
// connection each, through the typed client from packages/shared.
import WebSocket from 'ws';
import { connect, type EventStreamClient, type StreamEvent, type WebSocketConstructor } from '@monkeytown/shared/client';
import { Api, playerIp, pool } from './http.js';

export interface Player {
  index: number;
  id: string;
  token: string;
  ip: string;
  client?: EventStreamClient;
}

export async function createPlayers(api: Api, from: number, count: number, prefix = 'bench'): Promise<Player[]> {
  const idx = Array.from({ length: count }, (_, i) => from + i);
  return pool(idx, 32, async (index) => {
    const ip = playerIp(index);
    const res = await api.post('/api/players', { name: `${prefix}${index}` }, { ip });
    if (res.status !== 201) throw new Error(`POST /api/players -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    return { index, id: res.body.player.id as string, token: res.body.token as string, ip };
  });
}

/** A `ws` constructor that sends this player's address like a proxy would see it. */
function wsFrom(ip: string): WebSocketConstructor {
  return class extends WebSocket {
    constructor(url: string) {
      super(url, { headers: { 'x-forwarded-for': ip }, perMessageDeflate: false });
    }
  } as unknown as WebSocketConstructor;
}

/**
 * Open the players' event-stream connections (bounded concurrency). Resolves with the
 * number that did not say hello in time: those players' clients are closed and unset
 * (their games are not played, and the caller reports them).
 */
export async function connectPlayers(players: Player[], wsUrl: string, onReconnect: () => void, timeoutMs = 30_000): Promise<number> {
  let failed = 0;
  await pool(players, 64, (p) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        failed++;
        p.client?.close();
        p.client = undefined;
        resolve();
      }, timeoutMs);
      let opened = false;
      p.client = connect(wsUrl, {
        token: p.token,
        WebSocket: wsFrom(p.ip),
        // Both builds of a --compare are driven alike; the old one predates today's event
        // fields, which the payload check would refuse (the envelope is still checked).
        checkPayloads: false,
        backoff: { initialMs: 200, maxMs: 2000 },
        onState: (s) => {
          if (s === 'open' && !opened) {
            opened = true;
            clearTimeout(t);
            resolve();
          } else if (s === 'reconnecting' && opened) onReconnect();
        },
      });
    }),
  );
  return failed;
}

export function closePlayers(players: Player[]): void {
  for (const p of players) {
    p.client?.close();
    p.client = undefined;
  }
}

/**
 * One player's view of one game topic: events by seq with their arrival time, and
 * waiters for a given seq. Gaps in the sequence are counted (they must never happen).
 */
export class Inbox {
  private readonly arrived = new Map<number, { e: StreamEvent; at: number }>();
  private readonly waiters = new Map<number, { resolve: (v: { e: StreamEvent; at: number }) => void; reject: (e: Error) => void; t: NodeJS.Timeout }>();
  private last: number;
  gaps = 0;
  private failure: string | null = null;
  readonly unsubscribe: () => void;

  constructor(client: EventStreamClient, topic: string, sinceSeq: number) {
    this.last = sinceSeq;
    // An error about this topic (e.g. not_found: the stream had not seen the game yet)
    // means no event will come: fail the waits at once, under the server's code.
    this.unsubscribe = client.subscribe(topic, (e) => this.onEvent(e), {
      sinceSeq,
      onError: (err) => this.abort(`ws_${err.code}`),
    });
  }

  private onEvent(e: StreamEvent): void {
    const at = performance.now();
    if (e.seq !== this.last + 1) this.gaps++;
    this.last = Math.max(this.last, e.seq);
    const w = this.waiters.get(e.seq);
    if (w) {
      clearTimeout(w.t);
      this.waiters.delete(e.seq);
      w.resolve({ e, at });
    } else {
      this.arrived.set(e.seq, { e, at });
    }
  }

  /** Resolves when the event with `seq` has arrived (at once if it already has). */
  waitFor(seq: number, timeoutMs: number): Promise<{ e: StreamEvent; at: number }> {
    const got = this.arrived.get(seq);
    if (got) {
      this.arrived.delete(seq);
      return Promise.resolve(got);
    }
    if (this.failure) return Promise.reject(new Error(this.failure));
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiters.delete(seq);
        reject(new Error('event_timeout'));
      }, timeoutMs);
      this.waiters.set(seq, { resolve, reject, t });
    });
  }

  /** Fail every wait now, and every later one (the game was abandoned). */
  abort(reason: string): void {
    this.failure ??= reason;
    for (const [seq, w] of this.waiters) {
      clearTimeout(w.t);
      this.waiters.delete(seq);
      w.reject(new Error(reason));
    }
  }

  close(): void {
    this.abort('closed');
    this.unsubscribe();
  }
}
