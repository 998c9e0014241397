import { isAsyncIterable } from '@envelop/core';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Passes `source` on until `signal` aborts, then completes (and lets `source` clean up). Not an
 * async generator: a generator's return() waits for its next `yield`, so a client that leaves a
 * quiet subscription would never reach `source`'s return(). And no Promise.race against one
 * long-lived abort promise per event: each race would leave a reaction on it until shutdown.
 * Abort calls `source`'s return() instead, which ends the next() it has pending.
 */
function untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const stop = () => void iterator.return?.();
  signal.addEventListener('abort', stop, { once: true });
  if (signal.aborted) stop();
  return {
    async next() {
      const next = await iterator.next();
      if (next.done) signal.removeEventListener('abort', stop);
      return next;
    },
    async return() {
      signal.removeEventListener('abort', stop);
      await iterator.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
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
