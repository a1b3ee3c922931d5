import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ChooseMoveInput, ReviewInput } from '@monkeytown/shared/ai';
import type { AiReply, AiTask } from './worker.js';

export type AiResult = Extract<AiReply, { ok: true; move: unknown }>;
export type ReviewResult = Extract<AiReply, { ok: true; review: unknown }>;

interface Pending {
  task: AiTask;
  timer?: NodeJS.Timeout;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the reply of the task's kind (choose / review)
  resolve: (r: any) => void;
  reject: (e: Error) => void;
}

/**
 * Where the worker script is: next to the bundle in dist (ai-worker.js), or the
 * TypeScript source under vitest/tsx (then the worker loads tsx itself).
 */
function newWorker(priority: number): Worker {
  const workerData = { priority };
  if (import.meta.url.endsWith('.ts')) {
    // Source mode (vitest, tsx): a tiny eval'd bootstrap registers tsx's ESM loader in
    // the worker, then imports the TypeScript worker (workers ignore --import in execArgv).
    const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
    const worker = new URL('./worker.ts', import.meta.url).href;
    const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(worker)}); })`;
    return new Worker(boot, { eval: true, workerData });
  }
  return new Worker(fileURLToPath(new URL('./ai-worker.js', import.meta.url)), { workerData });
}

/**
 * A small pool of worker threads for agent search: the event loop only posts a
 * message and waits, so HTTP keeps answering while an agent thinks. A worker that
 * crashes is replaced and its task fails (the AI runner retries the turn later).
 */
export class AiPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  /** Spawned, not yet loaded: work is sent only once a worker says it is ready. */
  private readonly starting = new Set<Worker>();
  private nextId = 1;
  private closed = false;

  /**
   * @param size worker threads
   * @param timeoutMs a search running longer (counted from when a loaded worker got it)
   *   is abandoned and its worker replaced: a stuck search must not hold a turn forever
   * @param priority the workers' OS priority (nice): 10 for moves, 19 for reviews
   */
  constructor(
    private readonly size: number,
    private readonly timeoutMs = 20_000,
    private readonly priority = 10,
  ) {}

  private spawn(): Worker {
    const w = newWorker(this.priority);
    this.starting.add(w);
    w.on('message', (r: AiReply | { ready: true }) => {
      if ('ready' in r) {
        this.starting.delete(w);
        if (this.closed) void w.terminate();
        else this.idle.push(w);
        this.drain();
      } else {
        this.finish(w, r);
      }
    });
    w.on('error', (err) => this.fail(w, err));
    w.on('exit', (code) => {
      if (this.busy.has(w) || this.starting.has(w)) this.fail(w, new Error(`ai worker exited (${code})`));
      const i = this.idle.indexOf(w);
      if (i >= 0) this.idle.splice(i, 1);
    });
    return w;
  }

  choose(input: ChooseMoveInput): Promise<AiResult> {
    return this.post({ id: this.nextId++, input });
  }

  /** Review a finished game (issue 27): one task for the whole game, in one worker. */
  review(input: ReviewInput): Promise<ReviewResult> {
    return this.post({ id: this.nextId++, review: input });
  }

  private post<R>(task: AiTask): Promise<R> {
    if (this.closed) return Promise.reject(new Error('ai pool closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.queue.length > 0) {
      const w = this.idle.pop();
      if (!w) {
        // Start another worker when the queue is longer than the workers on their way.
        const total = this.busy.size + this.starting.size;
        if (total < this.size && this.queue.length > this.starting.size) this.spawn();
        return;
      }
      const p = this.queue.shift()!;
      this.busy.set(w, p);
      const worker = w;
      p.timer = setTimeout(() => this.fail(worker, new Error('ai search timed out')), this.timeoutMs);
      p.timer.unref();
      w.postMessage(p.task);
    }
  }

  private finish(w: Worker, r: AiReply): void {
    const p = this.busy.get(w);
    if (p?.timer) clearTimeout(p.timer);
    this.busy.delete(w);
    if (!this.closed) this.idle.push(w);
    if (p) {
      if (r.ok) p.resolve(r);
      else p.reject(new Error(r.error));
    }
    this.drain();
  }

  private fail(w: Worker, err: Error): void {
    if (this.starting.delete(w)) {
      // A worker that cannot even start: fail one waiting search rather than hang it.
      void w.terminate();
      this.queue.shift()?.reject(err);
      return;
    }
    const p = this.busy.get(w);
    if (p?.timer) clearTimeout(p.timer);
    const i = this.idle.indexOf(w);
    if (i >= 0) this.idle.splice(i, 1);
    this.busy.delete(w);
    void w.terminate();
    p?.reject(err);
    this.drain();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('ai pool closed'));
    const all = [...this.idle, ...this.busy.keys(), ...this.starting];
    this.starting.clear();
    for (const p of this.busy.values()) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(new Error('ai pool closed'));
    }
    this.busy.clear();
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }
}
