import { pino } from 'pino';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The game-server's log destination: stdout written asynchronously in 8 KiB chunks (sonic-boom allows less than its 16 KiB maxWrite)
 * (flushed every 200 ms and on exit) instead of one synchronous write per line, which
 * cost ~6 % of the move path. A SIGKILL loses at most the last 200 ms of lines.
 */
export function logStream(level: string): pino.DestinationStream | undefined {
  if (level === 'silent') return undefined;
  const dest = pino.destination({ dest: 1, sync: false, minLength: 8192 });
  setInterval(() => {
    try {
      dest.flush();
    } catch {
      // nothing to flush yet, or stdout closed
    }
  }, 200).unref();
  return dest;
}

/** One line for one request, when it completed (Fastify's own two lines per request are off). */
export function logRequest(req: FastifyRequest, reply: FastifyReply): void {
  req.log.info(
    // Fastify's req serializer turns `ip` into remoteAddress (a `remoteAddress` given here was dropped).
    { req: { method: req.method, url: req.url, ip: req.ip }, res: { statusCode: reply.statusCode }, responseTime: reply.elapsedTime },
    'request completed',
  );
}

export interface AccessLogOptions {
  /** 'all': a line per request (as before). 'summary': a line per failure or slow request, the rest counted. */
  mode: 'all' | 'summary';
  /** A request at least this slow (ms) gets its own line whatever its status. */
  slowMs: number;
  /** The counted requests' summary line comes this often (ms) when there were any. */
  intervalMs?: number;
}

export interface AccessLog {
  record(req: FastifyRequest, reply: FastifyReply): void;
  /** Writes what is counted so far (shutdown) and stops the timer. */
  close(): void;
}

/**
 * The access log. A line per request was ~4 % of the game-server's CPU per move (a
 * pino line: an object, its JSON, the request id and client address), for lines nobody
 * reads one by one at 2,000 moves a second. In 'summary' mode every failure (status ≥
 * 400) and every request slower than `slowMs` keeps its whole line — method, url,
 * client address, status, time and the request id an x-request-id answer names — and
 * the successful fast ones are counted: one 'requests completed' line per interval with
 * their number by status, mean and max time and the request id of the slowest. The
 * per-route counts and latency histogram stay in /metrics.
 */
export function accessLog(log: FastifyBaseLogger, o: AccessLogOptions): AccessLog {
  if (o.mode === 'all') return { record: logRequest, close: () => {} };
  let count = 0;
  let totalMs = 0;
  let maxMs = 0;
  let slowest = '';
  let byStatus: Record<string, number> = {};
  const flush = () => {
    if (count === 0) return;
    log.info(
      { requests: { count, byStatus, meanMs: Math.round((totalMs / count) * 100) / 100, maxMs: Math.round(maxMs * 100) / 100, slowestReqId: slowest } },
      'requests completed',
    );
    count = 0;
    totalMs = 0;
    maxMs = 0;
    slowest = '';
    byStatus = {};
  };
  const timer = setInterval(flush, o.intervalMs ?? 10_000);
  timer.unref();
  return {
    record(req, reply) {
      const status = reply.statusCode;
      const ms = reply.elapsedTime;
      if (status >= 400 || ms >= o.slowMs) {
        logRequest(req, reply);
        return;
      }
      count++;
      totalMs += ms;
      if (ms > maxMs) {
        maxMs = ms;
        slowest = req.id;
      }
      byStatus[status] = (byStatus[status] ?? 0) + 1;
    },
    close() {
      clearInterval(timer);
      flush();
    },
  };
}
