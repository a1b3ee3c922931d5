/**
 * Group commit for requests that each write one game (creations, joins): requests that
 * arrive while a batch is being written wait for the next one, and each batch is handed
 * to `write` whole, which writes it in ONE statement and returns each request's outcome
 * (a value, or an Error to reject it with). A request is answered only after the
 * statement carrying it returned, i.e. after its COMMIT.
 *
 * `keyOf` keeps two requests with the same key (one game) out of one batch: the later
 * one waits for the next batch and then sees the first one's write. When a whole batch
 * fails (anything other than a per-request outcome: a deadlock between two replicas'
 * batches, one request's bad data failing the statement), each of its requests is
 * written again alone, so one request never fails another.
 */
export interface GroupOptions<I, O> {
  write(items: I[]): Promise<(O | Error)[]>;
  keyOf?: (item: I) => string;
  maxBatch?: number;
}

interface Waiting<I, O> {
  item: I;
  solo: boolean;
  resolve(o: O): void;
  reject(e: unknown): void;
}

export class GroupCommit<I, O> {
  private queue: Waiting<I, O>[] = [];
  private busy = false;
  private scheduled = false;
  private readonly maxBatch: number;

  constructor(private readonly o: GroupOptions<I, O>) {
    this.maxBatch = o.maxBatch ?? 256;
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, solo: false, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.busy) return;
    this.scheduled = true;
    // Let the requests parsed in this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      if (this.busy || !this.queue.length) return;
      this.busy = true;
      void this.run(this.take()).finally(() => {
        this.busy = false;
        if (this.queue.length) this.schedule();
      });
    });
  }

  /** Queue order, one request per key; a solo request goes alone. */
  private take(): Waiting<I, O>[] {
    const first = this.queue[0]!;
    if (first.solo) return this.queue.splice(0, 1);
    const batch: Waiting<I, O>[] = [];
    const keys = new Set<string>();
    const rest: Waiting<I, O>[] = [];
    for (const w of this.queue) {
      const key = this.o.keyOf?.(w.item);
      if (w.solo || batch.length >= this.maxBatch || (key !== undefined && keys.has(key))) {
        rest.push(w);
        continue;
      }
      batch.push(w);
      if (key !== undefined) keys.add(key);
    }
    this.queue = rest;
    return batch;
  }

  private async run(batch: Waiting<I, O>[]): Promise<void> {
    let out: (O | Error)[];
    try {
      out = await this.o.write(batch.map((w) => w.item));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      for (const w of batch) w.solo = true;
      this.queue.unshift(...batch);
      return;
    }
    batch.forEach((w, i) => {
      const r = out[i]!;
      if (r instanceof Error) w.reject(r);
      else w.resolve(r);
    });
  }
}
