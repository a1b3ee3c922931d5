/**
 * Batches calls made in the same tick: every `call(item)` before the next tick joins
 * one `run(items)`, and each caller gets the result at its own index (or the batch's
 * error). The event-stream writes and reads the presence of every topic that changed
 * in a window at once; this turns those into one Redis pipeline instead of one each.
 */
export function perTick<T, R>(run: (items: T[]) => Promise<R[]>): (item: T) => Promise<R> {
  let batch: { items: T[]; result: Promise<R[]> } | null = null;
  return (item) => {
    if (!batch) {
      const current: { items: T[]; result: Promise<R[]> } = { items: [], result: Promise.resolve([]) };
      current.result = new Promise<R[]>((resolve, reject) =>
        process.nextTick(() => {
          batch = null;
          run(current.items).then(resolve, reject);
        }),
      );
      batch = current;
    }
    const index = batch.items.push(item) - 1;
    return batch.result.then((results) => results[index]!);
  };
}
