// A guest's view of Monkeytown through nginx: REST calls and a /ws spectator socket, each
// answer checked against the shared schemas (what the browser relies on).
import { GameSnapshot, ServerMessage } from '@monkeytown/shared';
import WebSocket from 'ws';

type Json = Record<string, any>;

export interface Api {
  (method: string, p: string, body?: unknown, token?: string): Promise<{ status: number; json: Json; ms: number }>;
}

export function apiAt(base: string): Api {
  return async (method, p, body, token) => {
    const t0 = Date.now();
    const res = await fetch(`${base}${p}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let json: Json;
    try {
      json = JSON.parse(text) as Json;
    } catch {
      throw new Error(`${method} ${p}: ${res.status} is not JSON: ${text.slice(0, 200)}`);
    }
    return { status: res.status, json, ms: Date.now() - t0 };
  };
}

/** A /ws connection that keeps every server message, parsed with the shared schema. */
export class Socket {
  readonly messages: ServerMessage[] = [];
  private waiters: Array<() => void> = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(ServerMessage.parse(JSON.parse(String(data))));
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Resolves with the upgraded socket, or rejects with the HTTP status nginx answered. */
  static open(url: string): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const socket = new Socket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`/ws answered ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
    });
  }

  async waitFor<T extends ServerMessage>(pred: (m: ServerMessage) => m is T, what: string, timeoutMs?: number): Promise<T>;
  async waitFor(pred: (m: ServerMessage) => boolean, what: string, timeoutMs?: number): Promise<ServerMessage>;
  async waitFor(pred: (m: ServerMessage) => boolean, what: string, timeoutMs = 15_000): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.messages.find(pred);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no ${what} on /ws; got ${JSON.stringify(this.messages).slice(0, 2000)}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 250);
      });
    }
  }

  close(): void {
    this.ws.close();
  }
}

/**
 * A guest plays a whole tic-tac-toe game against an agent over REST (first legal move
 * each turn), while a socket subscribed to the game collects its events. Returns the
 * final snapshot and the event sequence numbers the socket saw.
 */
export async function playGuestGame(api: Api, wsUrl: string, agentId: string) {
  const guest = await api('POST', '/api/players', { name: 'Container Guest' });
  if (guest.status !== 201) throw new Error(`guest: ${guest.status} ${JSON.stringify(guest.json)}`);
  const token = guest.json.token as string;
  const created = await api('POST', '/api/games', { type: 'tictactoe', opponent: { kind: 'agent', agentId }, seat: 0, rated: false }, token);
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.json)}`);
  let game = GameSnapshot.parse(created.json.game);

  const socket = await Socket.open(wsUrl);
  try {
    await socket.waitFor((m) => m.type === 'hello', 'hello');
    const topic = `game:${game.id}`;
    socket.ws.send(JSON.stringify({ type: 'subscribe', topic, sinceSeq: game.seq }));
    await socket.waitFor((m) => m.type === 'subscribed' && m.topic === topic, 'subscribed');
    const subscribedAt = game.seq;

    const deadline = Date.now() + 120_000;
    while (game.status !== 'finished') {
      if (Date.now() > deadline) throw new Error(`game not finished: ${JSON.stringify(game)}`);
      if (game.turn === 0 && !game.agentThinking) {
        const moved = await api('POST', `/api/games/${game.id}/moves`, { move: game.legalMoves[0], expectedSeq: game.seq }, token);
        if (moved.status !== 200) throw new Error(`move: ${moved.status} ${JSON.stringify(moved.json)}`);
      } else {
        await new Promise((r) => setTimeout(r, 200));
      }
      const got = await api('GET', `/api/games/${game.id}`);
      game = GameSnapshot.parse(got.json.game);
    }
    // Every event after the subscription, through the last one, arrived on the socket.
    await socket.waitFor((m) => m.type === 'event' && m.topic === topic && m.seq === game.seq, `event ${game.seq}`);
    const seqs = socket.messages.flatMap((m) => (m.type === 'event' && m.topic === topic ? [m.seq] : []));
    return { game, token, seqs, subscribedAt };
  } finally {
    socket.close();
  }
}
