import type { QueueBackend } from '../platform-types.ts';

interface Waiter {
  deliver(payload: string | null): void;
}

export interface MemoryQueueStore extends QueueBackend {
  close(): void;
}

/**
 * Queues in process memory. A pop that finds its queue empty waits in a FIFO line of that queue;
 * a push hands its item straight to the first waiter, so each item reaches exactly one popper and
 * the longest-waiting popper is served first. Waiting costs no connection here, so there is no
 * pool to exhaust.
 */
export function createMemoryQueueStore(): MemoryQueueStore {
  const lists = new Map<string, string[]>();
  const waiters = new Map<string, Waiter[]>();

  const line = (name: string) => {
    let list = waiters.get(name);
    if (!list) waiters.set(name, (list = []));
    return list;
  };

  return {
    async push(name, payload) {
      const queued = waiters.get(name);
      const waiter = queued?.shift();
      if (queued?.length === 0) waiters.delete(name);
      if (waiter) {
        waiter.deliver(payload);
        // Like LPUSH answered before a blocked BRPOP takes the item: the push reports length 1.
        return 1;
      }
      let list = lists.get(name);
      if (!list) lists.set(name, (list = []));
      return list.push(payload);
    },

    async pop(name, timeoutMs) {
      const list = lists.get(name);
      if (list?.length) {
        const payload = list.shift()!;
        if (list.length === 0) lists.delete(name);
        return payload;
      }
      if (timeoutMs <= 0) return null;
      return new Promise<string | null>((resolve) => {
        const waiter: Waiter = {
          deliver(payload) {
            clearTimeout(timer);
            resolve(payload);
          },
        };
        const timer = setTimeout(() => {
          const queue = waiters.get(name) ?? [];
          const at = queue.indexOf(waiter);
          if (at >= 0) queue.splice(at, 1);
          if (queue.length === 0) waiters.delete(name);
          resolve(null);
        }, timeoutMs);
        line(name).push(waiter);
      });
    },

    async length(name) {
      return lists.get(name)?.length ?? 0;
    },

    close() {
      for (const queue of waiters.values()) for (const waiter of queue) waiter.deliver(null);
      waiters.clear();
      lists.clear();
    },
  };
}
