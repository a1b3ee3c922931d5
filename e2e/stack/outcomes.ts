// Issue 25, acceptance 5: what became of each request sent to the production-shaped stack
// while its services restart. A request is, from the client's side, exactly one of:
//   answered  - an HTTP answer from the service (2xx, or a 4xx the contract names);
//   refused   - cleanly refused: a 503 with the contract's JSON error, or the connection
//               refused before a byte of the request was sent (nothing was accepted);
//   reset     - accepted and then dropped: the connection reset or closed without an
//               answer, or the front's own 502/504 (its target dropped it, or never answered);
//   other     - any other answer (a 5xx that is not a contract refusal, a page with an error).
// Each request opens its own connection (no keep-alive to the front): the front stand-in
// (nginx) retires idle client connections when it reloads to deregister a target, which
// an ALB does not do; a request is then never sent on a connection closing under it.
import http from 'node:http';

export type Outcome = 'answered' | 'refused' | 'reset' | 'other';

export interface Reply {
  outcome: Outcome;
  status: number;
  body: string;
  detail: string;
}

const isContractError = (body: string) => {
  try {
    const e = (JSON.parse(body) as { error?: { code?: unknown; message?: unknown } }).error;
    return typeof e?.code === 'string' && typeof e.message === 'string';
  } catch {
    return false;
  }
};

/** One request from `localAddress` (a 127/8 address the front sees as the client). */
export function send(base: string, localAddress: string, method: string, path: string, opts: { body?: unknown; token?: string } = {}): Promise<Reply> {
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve) => {
    let written = false;
    const req = http.request(`${base}${path}`, {
      method,
      localAddress,
      agent: false,
      timeout: 20_000,
      headers: {
        ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      },
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('error', (err) => resolve({ outcome: 'reset', status: res.statusCode ?? 0, body, detail: `answer cut: ${err.message}` }));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        let outcome: Outcome = 'answered';
        if (status === 503) outcome = isContractError(body) ? 'refused' : 'other';
        else if (status === 502 || status === 504) outcome = 'reset';
        else if (status >= 500) outcome = 'other';
        else if (status === 200 && body.includes('class="error banner"')) outcome = 'other';
        const banner = /<p class="error banner" role="alert">([^<]*)</.exec(body)?.[1];
        resolve({ outcome, status, body, detail: outcome === 'answered' ? '' : `${status} ${banner ?? body.slice(0, 160)}` });
      });
    });
    req.on('socket', (socket) => socket.once('connect', () => (written = true)));
    req.on('timeout', () => req.destroy(new Error('no answer in 20 s')));
    req.on('error', (err: NodeJS.ErrnoException) => {
      // Refused before anything was sent: the connection never opened.
      const clean = err.code === 'ECONNREFUSED' && !written;
      resolve({ outcome: clean ? 'refused' : 'reset', status: 0, body: '', detail: `${err.code ?? ''} ${err.message}` });
    });
    req.end(payload);
  });
}
