// One run of issue 22's load against running services (however they were started: the
// test's processes or the bench's): the hot game with its eight writers, the other
// games, watchers on every event-stream, faults at given points; then the figures.
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { backgroundPlayers, playBackground, type Background } from './background.js';
import { holes, latency, watcherFigures, type Latency, type Summary, type WatcherFigures } from './figures.js';
import { call, sleep, unexpected } from './rest.js';
import { Watcher } from './watcher.js';
import { createHotGame, newWriterRun, runWriters, type Write, type WriterRun } from './writers.js';

export interface Endpoints {
  /** Game-server base URLs (http://host:port). */
  gs: string[];
  /** Event-stream WebSocket URLs. */
  es: string[];
  /** Where the bus's replay streams are read; without it (embedded: the in-process bus) a fresh watcher replays the game from seq 0. */
  redisUrl?: string;
  /** REDIS_KEY_PREFIX of the services. */
  keyPrefix?: string;
}

export interface Fault {
  name: string;
  /** Run once this fraction of the writes has been answered (and the fault before it is over). */
  at: number;
  run(): Promise<void>;
}

export interface SeamOptions {
  writes: number;
  /** Pause of each chat writer between lines (see WriterPace). */
  chatPauseMs: number;
  otherGames: number;
  /** Think time of the other games' players per move. */
  otherGamesThinkMs: number;
  watchersPerStream: number;
  /** Bound on the writing phase (the figures show it if the writes were not all done). */
  maxWriteSeconds: number;
  /** After the writers stop: how long events may still arrive (late ones are counted, lost ones never come). */
  settleMs: number;
  faults?: Fault[];
  /** The writers start no earlier than this Date.now() (the other games play meanwhile). */
  writersNotBefore?: number;
  /** Indexes of event-streams that will be killed: their watchers may resync and are not in the latency. */
  killedStreams?: number[];
  /**
   * A bus outage: writes answered from `downAt()` to `backAt() + graceMs` are left out of
   * `latency` (nothing can deliver them while Redis is down) and measured apart, from
   * the moment Redis answered again, in `latencyAfterOutage`.
   */
  outage?: { downAt(): number; backAt(): number; graceMs: number };
}

/**
 * Issue 22's load: 800 writes on the hot game (two players moving, six chatting with a
 * 20 ms pause), 50 other games, four watchers per event-stream. The bounds are bounds,
 * not expectations: the writes take ~5–20 s on a shared 2-core machine; the settle time
 * lets the relay's 3 s sweep deliver what it will (late is measured, lost never comes).
 */
export const ISSUE_22_LOAD: SeamOptions = {
  writes: 800,
  chatPauseMs: 20,
  otherGames: 50,
  otherGamesThinkMs: 100,
  watchersPerStream: 4,
  maxWriteSeconds: 60,
  settleMs: 6000,
};

export interface SeamResult {
  gameId: string;
  /** The hot game's last seq (Postgres, through REST). */
  events: number;
  /** Seqs 1..events in Postgres are contiguous (the truth the bus must match). */
  truthContiguous: boolean;
  /** The bus's replay stream of the hot game: seqs never published, and seqs there twice. */
  stream: { missing: number[]; duplicates: number };
  watchers: WatcherFigures[];
  latency: Latency;
  latencyAfterOutage?: Latency;
  writers: Omit<WriterRun, 'writes'> & { writes: number };
  background: Background;
  writeSeconds: number;
  faults: string[];
  /** The load generator's own event-loop delay: a busy harness would inflate every latency. */
  harnessLoopDelayMs: Summary;
}

function latencies(writes: Write[], measured: Watcher[], outage: SeamOptions['outage']): Pick<SeamResult, 'latency' | 'latencyAfterOutage'> {
  if (!outage) return { latency: latency(writes, measured) };
  const [down, back] = [outage.downAt(), outage.backAt()];
  const inOutage = (w: Write) => w.answeredAt >= down && w.answeredAt <= back + outage.graceMs;
  return {
    latency: latency(writes, measured, inOutage),
    latencyAfterOutage: latency(writes.filter(inOutage).map((w) => ({ ...w, answeredAt: Math.max(w.answeredAt, back) })), measured),
  };
}

/** The seqs in a game's replay stream on Redis, in stream order. */
async function redisStream(url: string, key: string): Promise<number[]> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  try {
    await redis.connect();
    return (await redis.xrange(key, '-', '+')).map(([id]) => Number(id.split('-')[0]));
  } finally {
    redis.disconnect();
  }
}

/** The seqs a new subscriber from seq 0 gets (the bus's replay buffer, then live): the in-process bus's stream. */
async function replayedFromZero(url: string, topic: string, last: number): Promise<number[]> {
  const w = new Watcher('replay', [url], topic);
  try {
    await w.start();
    const until = Date.now() + 5000;
    while (Date.now() < until && !w.game.some((e) => e.seq === last)) await sleep(50);
    return w.game.map((e) => e.seq);
  } finally {
    w.close();
  }
}

export async function runSeam(ep: Endpoints, o: SeamOptions): Promise<SeamResult> {
  const hot = await createHotGame(ep.gs);
  const topic = `game:${hot.id}`;
  const pairs = await backgroundPlayers(ep.gs, o.otherGames);
  const watchers = ep.es.flatMap((url, e) =>
    Array.from({ length: o.watchersPerStream }, (_, k) => new Watcher(`es${e}#${k}`, [url, ...ep.es.filter((u) => u !== url)], topic)),
  );
  const killed = (i: number) => (o.killedStreams ?? []).includes(Math.floor(i / o.watchersPerStream));
  try {
    await Promise.all(watchers.map((w) => w.start()));
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();

    let stopBackground = false;
    const background: Background = { games: 0, moves: 0, errors: [] };
    const others = playBackground(ep.gs, pairs, o.otherGamesThinkMs, () => stopBackground, background);
    // The other games are under way when the hot game starts.
    await sleep(Math.max(500, (o.writersNotBefore ?? 0) - Date.now()));

    const run = newWriterRun();
    const faultLog: string[] = [];
    let writersDone = false;
    const started = performance.now();
    const writers = runWriters(ep.gs, hot, { target: o.writes, stopAt: started + o.maxWriteSeconds * 1000, chatPauseMs: o.chatPauseMs }, run).finally(() => (writersDone = true));
    // One fault after the other, in the order given, each logged when it starts.
    const faults = (async () => {
      for (const f of o.faults ?? []) {
        while (!writersDone && run.writes.length < f.at * o.writes) await sleep(10);
        if (writersDone) {
          faultLog.push(`${f.name}: not run (the writers were done)`);
          continue;
        }
        const t0 = performance.now();
        const at = run.writes.length;
        await f.run();
        faultLog.push(`${f.name} at write ${at} (${((t0 - started) / 1000).toFixed(1)} s in, took ${Math.round(performance.now() - t0)} ms)`);
      }
    })();
    await writers;
    const writeSeconds = (performance.now() - started) / 1000;
    await faults;
    stopBackground = true;
    await others;
    loop.disable();

    const snap = await call(ep.gs[0]!, 'GET', `/games/${hot.id}`);
    if (snap.status !== 200) throw new Error(unexpected('read the hot game', snap));
    const events = snap.body.game.seq as number;
    const truth = await call(ep.gs[0]!, 'GET', `/games/${hot.id}/events?after=0&limit=1000`);
    const truthSeqs = (truth.body.events as { seq: number }[]).map((e) => e.seq);

    // Late events (the relay's sweep) still count as delivered, late; lost ones never come.
    const settleUntil = Date.now() + o.settleMs;
    while (Date.now() < settleUntil && watchers.some((w) => !w.game.some((e) => e.seq === events))) await sleep(50);
    await sleep(300); // a late duplicate would arrive now

    const streamSeqs = ep.redisUrl ? await redisStream(ep.redisUrl, `${ep.keyPrefix ?? 'mt:'}replay:${topic}`) : await replayedFromZero(ep.es[0]!, topic, events);

    // DELIVERY_DUMP=<file>: every write and every frame's arrival, for a closer look at a failure.
    if (process.env.DELIVERY_DUMP) {
      writeFileSync(process.env.DELIVERY_DUMP, JSON.stringify({ started, outage: o.outage && [o.outage.downAt(), o.outage.backAt()], faults: faultLog, writes: run.writes,
        watchers: watchers.map((w) => ({ name: w.name, game: w.game, lobby: w.lobby, resyncs: w.resyncs, timeline: w.timeline })) }));
    }
    return {
      gameId: hot.id,
      events,
      truthContiguous: truthSeqs.length === events && truthSeqs.every((s, i) => s === i + 1),
      stream: holes(streamSeqs, events),
      watchers: watchers.map((w, i) => watcherFigures(w, events, killed(i))),
      ...latencies(run.writes, watchers.filter((_, i) => !killed(i)), o.outage),
      writers: { ...run, writes: run.writes.length },
      background,
      writeSeconds,
      faults: faultLog,
      harnessLoopDelayMs: { n: loop.count, p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
    };
  } finally {
    for (const w of watchers) w.close();
  }
}
