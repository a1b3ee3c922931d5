import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { serviceCommand, Service } from './processes.js';

// With several SO_REUSEPORT sockets per port (http/listen.ts), a second event-stream on
// a taken port would silently share it and half the crowd's connections; it must refuse.
describe('event-stream on a taken port', () => {
  it('a second event-stream on the port of a running one exits with a clear message; the first keeps serving', async () => {
    const first = await Service.start('event-stream', {});
    try {
      const second = spawn(process.execPath, serviceCommand('event-stream'), {
        env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(first.port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      second.stdout.on('data', (d) => (out += d));
      second.stderr.on('data', (d) => (out += d));
      const code = await new Promise<number | null>((r) => second.once('exit', (c) => r(c)));
      expect(code, out).toBe(1);
      expect(out).toMatch(new RegExp(`port ${first.port} on 127.0.0.1 is already in use`));
      expect((await fetch(`${first.http}/health/live`)).status).toBe(200);
    } finally {
      await first.stop();
    }
  });
});
