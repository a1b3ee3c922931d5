// The kinds of request the web's Node server sees that never reach Next's proxy as sent:
//  - /api paths with dot segments ("/api/..", "/api/games/%2e%2e"), normalised away by
//    URL parsing (so "/api/.." became the lobby page);
//  - TRACE/TRACK: the fetch API cannot represent them (`new Request` throws), so Next
//    answers a plain-text 500 before proxy.ts runs;
//  - requests Node's HTTP parser refuses (an unknown method token, control characters,
//    headers over 16 KiB): with no `clientError` listener, Node answers a bare 400/431.
// Both are answered here in the API's error contract, by wrapping Server#emit once at
// start (instrumentation.ts): Next creates the server and gives us no handle on it.
import http from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { errorBody, errorStatus, type ErrorCode } from '@monkeytown/shared/schemas';

const UNREPRESENTABLE = new Set(['TRACE', 'TRACK']);
// "/api/.." and friends: URL parsing removes dot segments before Next sees the path, so
// an /api request would land on a page (HTML). Only the raw URL still shows them.
const API_DOT_SEGMENT = /^\/api(\/|$)(.*\/)?(\.|%2e){1,2}(\/|\?|$)/i;
const GUARDED = Symbol.for('monkeytown.httpGuard');

function body(code: ErrorCode, message: string) {
  const text = JSON.stringify(errorBody(code, message));
  return { status: errorStatus(code), text, length: Buffer.byteLength(text) };
}

export function installHttpGuard(proto: http.Server = http.Server.prototype): void {
  const p = proto as http.Server & { [GUARDED]?: true };
  if (p[GUARDED]) return;
  p[GUARDED] = true;
  const emit = p.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  p.emit = function guardedEmit(this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request') {
      const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
      if (API_DOT_SEGMENT.test(req.url ?? '')) {
        const b = body('not_found', 'no route for a path with "." or ".." segments');
        res.writeHead(b.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': b.length });
        res.end(b.text);
        return true;
      }
      if (UNREPRESENTABLE.has(req.method ?? '')) {
        const b = body('method_not_allowed', `${req.method} is not allowed`);
        res.writeHead(b.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': b.length, allow: 'GET, HEAD, POST' });
        res.end(b.text);
        return true;
      }
    } else if (event === 'clientError' && this.listenerCount('clientError') === 0) {
      const [err, socket] = args as [NodeJS.ErrnoException, Socket];
      if (err.code === 'ECONNRESET' || !socket.writable) {
        socket.destroy();
        return true;
      }
      const b = err.code === 'HPE_HEADER_OVERFLOW' ? body('headers_too_large', 'request headers are too large') : body('bad_request', 'malformed HTTP request');
      socket.end(
        `HTTP/1.1 ${b.status} ${STATUS_CODES[b.status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${b.length}\r\nConnection: close\r\n\r\n${b.text}`,
      );
      return true;
    }
    return emit.call(this, event, ...args);
  } as typeof p.emit;
}
