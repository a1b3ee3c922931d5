// Turns the services' output into short human lines. Production keeps pino's JSON (the
// services log JSON to stdout); here each JSON line becomes "warn  api: message", request
// logs are dropped (LOG_LEVEL=info brings them back), and Next's start banner is replaced by
// our own "ready" line.
import readline from 'node:readline';

const LEVELS = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const NEXT_BANNER = [/^\s*▲ Next\.js/, /^\s*- (Local|Network|Environments?):/, /^\s*✓ /, /^\s*$/];
// 'requests completed': the game-server's access-log summary (ACCESS_LOG=summary, one line per 10 s).
const REQUEST_LOG = new Set(['incoming request', 'request completed', 'requests completed']);

/** One printable line (or null to drop it) from one line a service wrote. */
export function humanLine(service, line, { requestLogs = false } = {}) {
  if (line.startsWith('{')) {
    let rec;
    try {
      rec = JSON.parse(line);
    } catch {
      return `${service}: ${line}`;
    }
    if (REQUEST_LOG.has(rec.msg) && !requestLogs) return null;
    const level = LEVELS[rec.level] ?? String(rec.level ?? 'info');
    const err = rec.err ? ` (${typeof rec.err === 'string' ? rec.err : (rec.err.message ?? JSON.stringify(rec.err))})` : '';
    const req = rec.req ? ` ${rec.req.method} ${rec.req.url}` : '';
    const res = rec.res?.statusCode ? ` → ${rec.res.statusCode}` : '';
    return `${level.padEnd(5)} ${service}: ${rec.msg ?? ''}${req}${res}${err}`;
  }
  if (service === 'site' && NEXT_BANNER.some((re) => re.test(line))) return null;
  return `${service}: ${line}`;
}

/** Pipes a child's stdout and stderr through humanLine; `seen` gets every raw line. */
export function pipeOutput(service, child, opts, seen) {
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      seen?.(line);
      const out = humanLine(service, line, opts);
      if (out !== null) console.log(out);
    });
  }
}
