// Issue 25: page renders of the lobby from many client addresses, open loop (a render is
// started on schedule whether or not the previous one has been answered, as players do).
// Each client is its own source address on loopback (Linux routes all of 127/8 to lo):
// the ALB stand-in sees distinct $remote_addr values and appends them to X-Forwarded-For
// itself; the load sets no header of its own.
import http from 'node:http';

const NOT_REACHABLE = 'The game server is not reachable right now.';
// The banner of a render whose API call was refused by the app's limiter (429) or the WAF (403).
const RATE_LIMITED = /rate limit exceeded|Request failed \((403|429)\)/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LoadFigures {
  sent: number;
  /** 200 with the lobby and no error banner. */
  ok: number;
  /** 200 whose banner says the game server is not reachable. */
  notReachable: number;
  /** Refused as rate-limited: a 403 (WAF) or 429, or a page whose banner says so. */
  limited: number;
  /** Anything else: other statuses, other banners, resets, time-outs. */
  errors: number;
  samples: string[];
  statuses: Record<string, number>;
  p50: number;
  p99: number;
}

/** 127.0.2.1, 127.0.2.2, …: never 127.0.0.1, which is web's own address in the stack. */
export const clientAddresses = (n: number) => Array.from({ length: n }, (_, i) => `127.0.2.${i + 1}`);

function get(url: string, localAddress: string, agent: http.Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { localAddress, agent, timeout: 15_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer in 15 s')));
    req.on('error', reject);
  });
}

/**
 * `perSecond` renders of `path` per second for `seconds`, spread evenly over `addresses`
 * (round robin). Resolves when every render has been answered or failed.
 */
export async function lobbyLoad(opts: { base: string; path?: string; addresses: string[]; perSecond: number; seconds: number }): Promise<LoadFigures> {
  const url = `${opts.base}${opts.path ?? '/'}`;
  const agents = new Map(opts.addresses.map((a) => [a, new http.Agent({ keepAlive: true, maxSockets: 8 })]));
  const fig: LoadFigures = { sent: 0, ok: 0, notReachable: 0, limited: 0, errors: 0, samples: [], statuses: {}, p50: 0, p99: 0 };
  const latencies: number[] = [];
  const note = (what: string) => {
    if (fig.samples.length < 8) fig.samples.push(what);
  };
  const one = async (address: string) => {
    const t = Date.now();
    try {
      const { status, body } = await get(url, address, agents.get(address)!);
      latencies.push(Date.now() - t);
      fig.statuses[status] = (fig.statuses[status] ?? 0) + 1;
      const banner = /<p class="error banner" role="alert">([^<]*)</.exec(body)?.[1];
      if (status === 403 || status === 429 || (banner !== undefined && RATE_LIMITED.test(banner))) fig.limited++;
      else if (banner?.includes(NOT_REACHABLE)) fig.notReachable++;
      else if (status !== 200 || banner) {
        fig.errors++;
        note(`${address}: ${status} ${banner ?? body.slice(0, 120)}`);
      } else fig.ok++;
    } catch (err) {
      fig.errors++;
      note(`${address}: ${(err as Error).message}`);
    }
  };
  const total = Math.round(opts.perSecond * opts.seconds);
  const started = Date.now();
  const pending: Array<Promise<void>> = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / opts.perSecond;
    if (due > Date.now()) await sleep(due - Date.now());
    fig.sent++;
    pending.push(one(opts.addresses[i % opts.addresses.length]!));
  }
  await Promise.all(pending);
  for (const agent of agents.values()) agent.destroy();
  latencies.sort((a, b) => a - b);
  fig.p50 = latencies[Math.floor(latencies.length * 0.5)] ?? 0;
  fig.p99 = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
  return fig;
}

export const describeLoad = (label: string, f: LoadFigures) =>
  `[lobby-load] ${label}: ${f.sent} renders, ${f.ok} ok, ${f.notReachable} "not reachable", ${f.limited} limited (403/429), ` +
  `${f.errors} errors; statuses ${JSON.stringify(f.statuses)}; latency p50 ${f.p50} ms, p99 ${f.p99} ms` +
  (f.samples.length ? `; e.g. ${f.samples.join(' | ')}` : '');
