// The floor for bench/fanout/crowd.ts --bare: a bare `ws` server with the event-stream's
// socket options, greeting each socket and answering a subscribe, nothing else (no bus,
// no presence). What a crowd costs any Node WebSocket server, to set the event-stream's
// figures against. PORT, HOST.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const server = createServer((_req, res) => res.end('{"status":"ok"}'));
const wss = new WebSocketServer({
  server, path: '/ws', perMessageDeflate: false, clientTracking: false, maxPayload: 4096,
  handleProtocols: (p) => (p.has('monkeytown.v1') ? 'monkeytown.v1' : false),
});
let n = 0;
wss.on('connection', (ws) => {
  ws.send(JSON.stringify({ type: 'hello', connectionId: String(++n), heartbeatMs: 20000, playerId: null }));
  ws.on('message', (data) => ws.send(JSON.stringify({ type: 'subscribed', topic: JSON.parse(data.toString()).topic })));
});
server.listen({ port: Number(process.env.PORT), host: process.env.HOST ?? '127.0.0.1', backlog: 4096 });
process.on('SIGTERM', () => process.exit(0));
