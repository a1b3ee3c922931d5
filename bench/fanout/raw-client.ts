// The crowd's sockets, cheaply (bench/fanout/crowd.ts, issue 28): a WebSocket client on a
// bare TCP socket, so that one load-generating thread can bring 19,000 spectators in a few
// seconds. The `ws` client costs several times what the event-stream spends per arrival
// (an HTTP request object, key and digest, a receiver and a sender per socket): with it,
// the arrival time measured the load generator, not the server (19,000 took 7–8 s even
// against a bare `ws` server). Only what a spectator needs: the handshake, unfragmented
// text frames from the server, protocol pings answered, masked text frames to it (the
// zero mask: still a masked frame as RFC 6455 requires, and no work).
import net from 'node:net';

const OP_TEXT = 0x1;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;

export interface RawSocket {
  /** Send a text frame (payloads under 64 KiB). */
  send(text: string): void;
  terminate(): void;
}

export interface RawHandlers {
  /** The handshake was answered 101. */
  open(): void;
  text(text: string, at: number): void;
  close(): void;
  error(err: Error): void;
}

/** A masked client frame with the zero key. */
function frame(op: number, payload: Buffer): Buffer {
  const n = payload.length;
  const head = n < 126 ? Buffer.from([0x80 | op, 0x80 | n, 0, 0, 0, 0]) : Buffer.from([0x80 | op, 0x80 | 126, n >> 8, n & 0xff, 0, 0, 0, 0]);
  return Buffer.concat([head, payload]);
}

export function rawConnect(host: string, port: number, path: string, protocols: string[], on: RawHandlers): RawSocket {
  const socket = net.connect({ host, port, noDelay: true });
  let buf: Buffer | null = null;
  let upgraded = false;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    on.close();
  };
  socket.on('connect', () => {
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ${protocols.join(', ')}\r\n\r\n`,
    );
  });
  socket.on('data', (chunk: Buffer) => {
    const at = performance.now();
    buf = buf ? Buffer.concat([buf, chunk]) : chunk;
    if (!upgraded) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!buf.subarray(0, 13).toString('latin1').startsWith('HTTP/1.1 101')) {
        on.error(new Error(`handshake refused: ${buf.subarray(0, end).toString('latin1').split('\r\n')[0]}`));
        socket.destroy();
        return;
      }
      upgraded = true;
      buf = buf.subarray(end + 4);
      on.open();
    }
    // Whole frames only; a partial one waits for the next chunk.
    while (buf.length >= 2) {
      const op = buf[0]! & 0x0f;
      let len = buf[1]! & 0x7f;
      let off = 2;
      if (len === 126) {
        if (buf.length < 4) break;
        len = buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (buf.length < 10) break;
        len = Number(buf.readBigUInt64BE(2));
        off = 10;
      }
      if (buf.length < off + len) break;
      const payload = buf.subarray(off, off + len);
      buf = buf.subarray(off + len);
      if (op === OP_TEXT) on.text(payload.toString(), at);
      else if (op === OP_PING) socket.write(frame(0xa, Buffer.from(payload)));
      else if (op === OP_CLOSE) {
        socket.end(frame(OP_CLOSE, Buffer.from(payload.subarray(0, 2))));
        finish();
      }
    }
    if (buf.length === 0) buf = null;
  });
  socket.on('error', (err) => (upgraded ? finish() : on.error(err)));
  socket.on('close', finish);
  return {
    send: (text) => void socket.write(frame(OP_TEXT, Buffer.from(text))),
    terminate: () => socket.destroy(),
  };
}
