import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorBody, errorStatus, type ErrorCode } from '@monkeytown/shared';

/**
 * A whole HTTP/1.1 error response in the contract shape `{error:{code,message}}`, for
 * sockets no framework answers on: the HTTP parser's errors, refused WebSocket upgrades.
 * The connection closes after it (what came before the error cannot be trusted to frame
 * the next request).
 */
export function rawErrorResponse(code: ErrorCode, message: string, headers: Readonly<Record<string, string>> = {}): string {
  const status = errorStatus(code);
  const body = JSON.stringify(errorBody(code, message));
  const head = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    ...headers,
    Connection: 'close',
  };
  const lines = Object.entries(head).map(([k, v]) => `${k}: ${v}\r\n`);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${lines.join('')}\r\n${body}`;
}

/** Write the error response and close the socket (unless the peer is already gone). */
export function endWithError(socket: Duplex, code: ErrorCode, message: string, headers?: Readonly<Record<string, string>>): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(rawErrorResponse(code, message, headers));
}

/**
 * A Node HTTP server's 'clientError' (the parser refused the bytes: bad request line,
 * control characters, headers over 16 KiB, a request that timed out) answered in the
 * contract shape. Returns the parser's error code it answered, or undefined when nothing
 * could be said (the peer is gone, or a response is already under way).
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): string | undefined {
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight) {
    socket.destroy();
    return undefined;
  }
  const code: ErrorCode =
    err.code === 'HPE_HEADER_OVERFLOW' ? 'headers_too_large' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'request_timeout' : 'bad_request';
  const message =
    code === 'headers_too_large' ? 'request headers are too large' : code === 'request_timeout' ? 'request timed out' : 'malformed HTTP request';
  endWithError(socket, code, message);
  return err.code ?? 'unknown';
}

export const MISSING_HOST = 'an HTTP/1.1 request needs a Host header';

/**
 * RFC 9112 §3.2: an HTTP/1.1 request without Host is answered 400. Node's own check
 * answers it with an empty body before any handler runs, so servers turn that off
 * (`requireHostHeader: false`) and ask this instead, answering in the contract shape.
 * HTTP/1.0 requests may omit it.
 */
export const lacksHost = (req: { httpVersion: string; headers: { host?: string } }) =>
  req.httpVersion === '1.1' && req.headers.host === undefined;
