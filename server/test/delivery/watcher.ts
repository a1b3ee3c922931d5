// A browser's view of the event stream, kept raw: one `ws` socket subscribed to the hot
// game (from seq 0) and to the lobby (live), recording every frame with its arrival
// time. Not the typed client on purpose: it drops duplicates and old seqs and hides
// resyncs behind a REST reload, which is exactly what this test must see.
// When its event-stream dies it does what the typed client does: connect to the next
// URL and resume every topic from the last seq it received.
import WebSocket from 'ws';
import { ServerMessage, wsProtocols } from '@monkeytown/shared';
import { sleep } from './rest.js';

export interface GameArrival {
  seq: number;
  at: number;
}

export interface LobbyArrival {
  seq: number;
  at: number;
  gameId: string;
  gameSeq: number;
  moveCount: number;
  /** The first lobby event after a resync or a (re)subscribe without sinceSeq: a jump here is expected. */
  fresh: boolean;
}

type LobbyData = { game?: { id?: string; seq?: number; moveCount?: number } };

export class Watcher {
  readonly game: GameArrival[] = [];
  readonly lobby: LobbyArrival[] = [];
  readonly resyncs = { game: 0, lobby: 0 };
  readonly errors: string[] = [];
  /** Frames the contract refuses (counted: none may reach a browser). */
  invalid = 0;
  reconnects = 0;
  /** Everything but events, with its arrival time and the events received before it (for a closer look at a failure). */
  readonly timeline: { at: number; what: string; game: number; lobby: number }[] = [];
  private ws: WebSocket | undefined;
  private closing = false;
  private current = 0;
  private lobbyFresh = true;

  constructor(
    readonly name: string,
    /** Its own event-stream first, then the ones it fails over to. */
    private readonly urls: readonly string[],
    private readonly topic: string,
  ) {}

  /** Connect and subscribe; resolves once both subscriptions are active. */
  async start(): Promise<void> {
    await this.connect(this.urls[0]!, true);
  }

  get url(): string {
    return this.urls[this.current]!;
  }

  lastGameSeq(): number {
    return this.game.at(-1)?.seq ?? 0;
  }

  close(): void {
    this.closing = true;
    this.ws?.terminate();
  }

  private connect(url: string, waitSubscribed: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, wsProtocols(), { perMessageDeflate: false });
      let live = false;
      let subscribed = 0;
      const t = setTimeout(() => {
        ws.terminate();
        reject(new Error(`${this.name}: no hello/subscribed from ${url} in 10 s`));
      }, 10_000);
      const ready = () => {
        clearTimeout(t);
        resolve();
      };
      ws.on('error', (err) => {
        if (!live) {
          clearTimeout(t);
          reject(err);
        }
      });
      ws.on('message', (raw) => {
        const at = performance.now();
        const parsed = ServerMessage.safeParse(JSON.parse(String(raw)));
        if (!parsed.success) {
          this.invalid++;
          return;
        }
        const m = parsed.data;
        if (m.type !== 'event' && m.type !== 'presence' && m.type !== 'pong') {
          this.timeline.push({ at, what: `${m.type} ${'topic' in m ? m.topic : ''} ${url}`, game: this.game.length, lobby: this.lobby.length });
        }
        if (m.type === 'hello') {
          live = true;
          this.ws = ws;
          this.subscribe(ws);
          if (!waitSubscribed) ready();
        } else if (m.type === 'subscribed') {
          if (++subscribed === 2 && waitSubscribed) ready();
        } else if (m.type === 'event') this.onEvent(m, at);
        else if (m.type === 'resync') {
          if (m.topic === 'lobby') {
            this.resyncs.lobby++;
            this.lobbyFresh = true;
          } else this.resyncs.game++;
        } else if (m.type === 'error') this.errors.push(`${m.code} ${m.topic ?? ''} ${m.message}`);
      });
      ws.on('close', () => {
        // Only a socket that was live fails over; a failed attempt is the caller's to retry.
        if (live && !this.closing && ws === this.ws) void this.failover();
      });
    });
  }

  /** Subscribe both topics: from the last seq received (sinceSeq 0 for the game at first). */
  private subscribe(ws: WebSocket): void {
    ws.send(JSON.stringify({ type: 'subscribe', topic: this.topic, sinceSeq: this.lastGameSeq() }));
    const lastLobby = this.lobby.at(-1)?.seq;
    if (lastLobby === undefined) this.lobbyFresh = true;
    ws.send(JSON.stringify({ type: 'subscribe', topic: 'lobby', ...(lastLobby !== undefined ? { sinceSeq: lastLobby } : {}) }));
  }

  private onEvent(m: Extract<ServerMessage, { type: 'event' }>, at: number): void {
    if (m.topic === this.topic) {
      this.game.push({ seq: m.seq, at });
    } else if (m.topic === 'lobby') {
      const g = (m.data as LobbyData).game ?? {};
      this.lobby.push({ seq: m.seq, at, gameId: String(g.id), gameSeq: Number(g.seq), moveCount: Number(g.moveCount), fresh: this.lobbyFresh });
      this.lobbyFresh = false;
    }
  }

  /** The event-stream went away: the next one, resuming from the last seqs (bounded: 15 s). */
  private async failover(): Promise<void> {
    this.reconnects++;
    const deadline = Date.now() + 15_000;
    for (let i = 1; !this.closing && Date.now() < deadline; i++) {
      const next = (this.current + i) % this.urls.length;
      try {
        await this.connect(this.urls[next]!, false);
        this.current = next;
        return;
      } catch {
        await sleep(200);
      }
    }
    if (!this.closing) this.errors.push('could not reconnect to any event-stream in 15 s');
  }
}
