import { afterEach, describe, expect, it } from 'vitest';
import { ISSUE_22_LOAD, runSeam, type SeamOptions } from './seam.js';
import { missingBackend, startCpuHog, startTopology, type Topology } from './topology.js';
import { problems, report } from './verdict.js';
import { sleep } from './rest.js';

// Issue 22, acceptance 1–3: every committed event of a game reaches every subscriber
// once, in order, at once — while eight writers put 800 events on ONE game through two
// game-server replicas (so two events of the game commit at the same moment on both),
// 50 other games play, and watchers on two event-streams follow the game and the lobby.
// Then the same with one replica sharing its core with a CPU hog, and with a Redis
// restart and an event-stream SIGKILLed in the middle. Real processes, real Postgres,
// a private redis-server that keeps its data like a managed one. Without Postgres or
// redis-server: skipped with a printed reason locally, a failure under CI=true.
const skip = missingBackend();
const WRITES = ISSUE_22_LOAD.writes;
const base: SeamOptions = ISSUE_22_LOAD;

describe.skipIf(skip)('every committed event, once, in order, at once, under concurrent writers (issue 22)', () => {
  let top: Topology | undefined;
  afterEach(async () => {
    await top?.stop();
    top = undefined;
  }, 60_000);

  const verdict = (title: string, r: Awaited<ReturnType<typeof runSeam>>) => {
    console.log(report(title, r));
    expect(problems(r, WRITES)).toEqual([]);
  };

  it('two replicas, eight writers on one game, 50 other games', async () => {
    top = await startTopology();
    verdict('two replicas', await runSeam(top.ep, base));
  }, 180_000);

  it('the same with one replica sharing its core with a CPU hog', async () => {
    top = await startTopology();
    const hog = startCpuHog(top.gs[0]!);
    try {
      verdict(`CPU hog${hog.pinned ? ' pinned with replica A on CPU 0' : ' (no taskset: unpinned)'}`, await runSeam(top.ep, base));
    } finally {
      await hog.stop();
    }
  }, 180_000);

  it('the same through a Redis restart (data kept) and a SIGKILLed event-stream', async () => {
    const t = (top = await startTopology());
    const redisStarted = Date.now();
    let downAt = Infinity;
    let backAt = Infinity;
    const r = await runSeam(t.ep, {
      ...base,
      killedStreams: [1],
      // In production Redis has been up for long when it restarts, and the lobby counter
      // (it counts events, not microseconds) is far behind the clock; here too: the
      // restart comes > 10 s after the first lobby publish.
      writersNotBefore: redisStarted + 12_000,
      // The writes made while Redis was down can only go out once it is back; they (and
      // the next 5 s) are measured apart, from the moment Redis answered again (< 2 s).
      outage: { downAt: () => downAt, backAt: () => backAt, graceMs: 5000 },
      faults: [
        {
          name: 'Redis SHUTDOWN, 1 s down, started again on its data',
          at: 0.25,
          run: async () => {
            downAt = performance.now();
            await t.redis.shutdown();
            await sleep(1000);
            await t.redis.start();
            backAt = performance.now();
          },
        },
        { name: 'SIGKILL event-stream B', at: 0.6, run: () => t.es[1]!.kill('SIGKILL') },
      ],
    });
    verdict('Redis restart + event-stream SIGKILL', r);
  }, 180_000);
});
