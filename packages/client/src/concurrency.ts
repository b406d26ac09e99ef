interface Step<S, T> { readonly source: S; readonly iterator: AsyncIterator<T>; readonly result?: IteratorResult<T>; readonly error?: unknown }

/**
 * Reads up to `concurrency` async iterators at once and yields their values as they arrive,
 * tagged with their source; each iterator has at most one value in flight (bounded memory).
 */
export async function* mergeConcurrently<S, T>(sources: Iterable<S>, concurrency: number, open: (source: S) => AsyncIterator<T>): AsyncGenerator<{ source: S; value: T }, undefined> {
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, not ${concurrency}`);
  const queue = sources[Symbol.iterator]();
  const running = new Map<AsyncIterator<T>, Promise<Step<S, T>>>();
  // Never rejects, so a failure nobody awaits yet is not an unhandled rejection.
  const step = (source: S, iterator: AsyncIterator<T>): Promise<Step<S, T>> =>
    iterator.next().then(
      (result) => ({ source, iterator, result }),
      (error: unknown) => ({ source, iterator, error }),
    );
  const start = (): boolean => {
    const next = queue.next();
    if (next.done === true) return false;
    const iterator = open(next.value);
    running.set(iterator, step(next.value, iterator));
    return true;
  };
  try {
    while (running.size < concurrency && start());
    while (running.size > 0) {
      const { source, iterator, result, error } = await Promise.race(running.values());
      if (result === undefined) throw error;
      if (result.done === true) {
        running.delete(iterator);
        start();
        continue;
      }
      running.set(iterator, step(source, iterator));
      yield { source, value: result.value };
    }
  } finally {
    await Promise.allSettled([...running.keys()].map(async (iterator) => iterator.return?.()));
  }
}
