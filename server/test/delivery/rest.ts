// The REST calls the seam load makes, over fetch (keep-alive), with the moment each
// answer arrived: a write's latency to the watchers' sockets is measured from there.
// No vitest here: bench/sections/seam.ts drives the same load.

export interface Answer {
  status: number;
  // The API's JSON; callers read the few fields they need.
  body: any;
  /** performance.now() when the whole answer had arrived. */
  at: number;
}

export interface Player {
  id: string;
  token: string;
}

export async function call(base: string, method: string, path: string, o: { token?: string; body?: unknown } = {}): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}/api${path}`, {
    method,
    headers,
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
    // A hung request must not hang the run: far above any answer time the load expects.
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  const at = performance.now();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text for the error message
  }
  return { status: res.status, body, at };
}

export async function guest(base: string, name: string): Promise<Player> {
  const r = await call(base, 'POST', '/players', { body: { name } });
  if (r.status !== 201) throw new Error(unexpected('POST /players', r));
  return { id: r.body.player.id as string, token: r.body.token as string };
}

/** A short description of an unexpected answer, for the figures and failure messages. */
export const unexpected = (what: string, r: Answer) => `${what} → ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

/** Run `fn` over items with at most `limit` in flight. */
export async function inPool<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
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
