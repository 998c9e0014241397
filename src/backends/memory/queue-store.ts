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
      const waiter = waiters.get(name)?.shift();
      // Like LPUSH followed by a blocked BRPOP taking the item: the push still reports length 1.
      if (waiter) return waiter.deliver(payload), 1;
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
          queue.splice(queue.indexOf(waiter), 1);
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
