// A small JSON client over node:http with keep-alive (lighter on the load generator's
// CPU than fetch). Every request has a timeout; nothing retries behind the caller's back.
import http from 'node:http';

export interface Res<T = any> {
  status: number;
  body: T;
}

export class Api {
  readonly agent: http.Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(base: string, maxSockets = Infinity, private readonly timeoutMs = 15_000) {
    const u = new URL(base);
    this.host = u.hostname;
    this.port = Number(u.port || 80);
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: 4096 });
  }

  /** `who` carries the player's token and the address it comes from (X-Forwarded-For). */
  request<T = any>(method: string, path: string, body?: unknown, who?: { token?: string; ip?: string }): Promise<Res<T>> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    if (who?.token) headers.authorization = `Bearer ${who.token}`;
    if (who?.ip) headers['x-forwarded-for'] = who.ip;
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch { /* not JSON (e.g. an nginx error page): keep the text */ }
          resolve({ status: res.statusCode ?? 0, body: parsed as T });
        });
        res.on('error', reject);
      });
      // Say which side of the connection was slow: still connecting (the server's accept
      // queue, or this process) or connected and waiting for the answer.
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error(
        `timeout after ${this.timeoutMs} ms (${!req.socket || req.socket.connecting ? 'connecting' : 'no answer'})`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /**
   * Open `n` keep-alive connections now, while the server is idle: the players of a run
   * are people who already have the page open, not thousands of TCP connects in the
   * run's first millisecond. (A server under load accepts one connection per event-loop
   * iteration — docs/performance.md — so a start burst of fresh connections queues for
   * seconds; that storm is measured on its own, not folded into every run.)
   */
  async warm(n: number): Promise<void> {
    await Promise.all(Array.from({ length: n }, () => this.get('/health/live').catch(() => {})));
  }

  get<T = any>(path: string, who?: { token?: string; ip?: string }) {
    return this.request<T>('GET', path, undefined, who);
  }
  post<T = any>(path: string, body: unknown, who?: { token?: string; ip?: string }) {
    return this.request<T>('POST', path, body, who);
  }
  close(): void {
    this.agent.destroy();
  }
}

/** A distinct client address per simulated player (100.64/10: not in nginx's trusted ranges). */
export function playerIp(i: number): string {
  return `100.${64 + ((i >> 16) & 63)}.${(i >> 8) & 255}.${i & 255}`;
}

/** Run `fn` over items with at most `limit` in flight. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
