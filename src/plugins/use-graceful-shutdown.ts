import { isAsyncIterable } from '@envelop/core';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const STOP = Symbol('stop');

/** Passes `source` on until `signal` aborts, then completes (and lets `source` clean up). */
async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const aborted = new Promise<typeof STOP>((resolve) => {
    if (signal.aborted) resolve(STOP);
    signal.addEventListener('abort', () => resolve(STOP), { once: true });
  });
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next === STOP || next.done) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}

export interface GracefulShutdownOptions {
  /** Aborted when the server starts shutting down. */
  signal: AbortSignal;
}

/**
 * On shutdown every running subscription completes (its stream ends normally, over SSE and
 * WebSocket alike), so the connections carrying them close and the server can stop within its
 * grace period instead of cutting them. A subscription started after the signal completes at once.
 */
export function useGracefulShutdown(options: GracefulShutdownOptions): Plugin {
  return {
    onSubscribe() {
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) setResult(untilAborted(result as AsyncIterable<ExecutionResult>, options.signal) as AsyncIterableIterator<ExecutionResult>);
        },
      };
    },
  };
}
