// Issue 25: on ECS the ALB cuts a deregistered target's WebSockets when its deregistration
// delay ends, and SIGTERM comes only after that. The event-stream therefore starts its
// drain when the task metadata says ECS wants the task stopped: the real process, a fake
// of the task metadata endpoint (ECS_CONTAINER_METADATA_URI_V4), no signal at all.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECS_STOP_POLL_MS, watchEcsTaskStop } from '../../src/process/ecs-stop.js';
import { Service } from '../event-stream/processes.js';

const DRAIN_MS = 2000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GET /task answers {DesiredStatus}; `calls` counts the polls. */
class FakeMetadata {
  desired = 'RUNNING';
  calls = 0;
  private server = http.createServer((req, res) => {
    this.calls++;
    if (req.url !== '/task') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ Cluster: 'c', TaskARN: 'arn:aws:ecs:zz:1:task/c/1', DesiredStatus: this.desired, KnownStatus: 'RUNNING' }));
  });
  uri = '';
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.uri = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  close() {
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

describe('watchEcsTaskStop', () => {
  const meta = new FakeMetadata();
  beforeAll(() => meta.start());
  afterAll(() => meta.close());

  it('calls onStop once, within an interval of DesiredStatus turning STOPPED, then stops asking', async () => {
    meta.desired = 'RUNNING';
    let stops = 0;
    const cancel = watchEcsTaskStop({ metadataUri: `${meta.uri}/`, intervalMs: 50, onStop: () => stops++ });
    await sleep(200);
    expect(stops).toBe(0);
    meta.desired = 'STOPPED';
    await sleep(150);
    expect(stops).toBe(1);
    const polls = meta.calls;
    await sleep(200);
    expect(meta.calls).toBe(polls);
    expect(stops).toBe(1);
    cancel();
  });

  it('does nothing off ECS, and keeps asking (warning once) when the endpoint fails', async () => {
    let stops = 0;
    watchEcsTaskStop({ metadataUri: undefined, intervalMs: 10, onStop: () => stops++ })();
    const warnings: unknown[] = [];
    const cancel = watchEcsTaskStop({ metadataUri: 'http://127.0.0.1:1', intervalMs: 20, onStop: () => stops++, log: { warn: (o) => warnings.push(o) } });
    await sleep(300);
    cancel();
    expect(stops).toBe(0);
    expect(warnings).toHaveLength(1);
  });
});

describe('event-stream on ECS: the drain starts when the task is to stop, not at SIGTERM', () => {
  const meta = new FakeMetadata();
  let es: Service | undefined;
  beforeAll(() => meta.start());
  afterAll(async () => {
    await es?.kill();
    await meta.close();
  });

  it('closes every socket with 1012 and exits 0 without any signal', async () => {
    es = await Service.start('event-stream', { DRAIN_SECONDS: String(DRAIN_MS / 1000), SHUTDOWN_GRACE_MS: '500', ECS_CONTAINER_METADATA_URI_V4: meta.uri });
    const N = 20;
    const closes: number[] = [];
    await Promise.all(
      Array.from(
        { length: N },
        () =>
          new Promise<void>((resolve, reject) => {
            const ws = new WebSocket(es!.ws);
            ws.once('message', () => resolve()); // hello
            ws.once('error', reject);
            ws.once('close', (code) => closes.push(code));
          }),
      ),
    );
    await sleep(ECS_STOP_POLL_MS + 200);
    expect(closes).toEqual([]); // RUNNING: nothing happens
    expect((await fetch(`${es.http}/health/ready`)).status).toBe(200);

    meta.desired = 'STOPPED'; // what ECS reports from the moment the target is deregistered
    const t0 = Date.now();
    const deadline = t0 + ECS_STOP_POLL_MS + DRAIN_MS + 5000;
    while (es.alive && Date.now() < deadline) await sleep(20);
    console.log(`[ecs-stop] ${closes.length} sockets closed, process gone ${Date.now() - t0} ms after DesiredStatus=STOPPED (poll ${ECS_STOP_POLL_MS} ms, drain ${DRAIN_MS} ms)`);
    expect(es.alive).toBe(false);
    expect(es.proc.exitCode).toBe(0);
    expect(closes).toHaveLength(N);
    expect(closes.every((c) => c === 1012)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(ECS_STOP_POLL_MS + DRAIN_MS + 3000);
  }, 40_000);
});
