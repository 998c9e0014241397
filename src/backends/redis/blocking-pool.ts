import type { RedisClient } from './connection.ts';
import PQueue from 'p-queue';

export interface BlockingPoolStats {
  /** Connections open (busy or idle), never more than the pool size. */
  open: number;
  /** Pops holding a connection now. */
  busy: number;
  /** Pops waiting for a connection to free up. */
  waiting: number;
}

/**
 * Dedicated connections for blocking commands (BRPOP). A connection blocked in BRPOP can serve
 * nothing else, so blocking pops never use the shared command connection; each takes one of at
 * most `size` connections here, opened on first need and kept for reuse.
 *
 * When all are busy, a pop waits in line (FIFO, p-queue) for one, but only until its own
 * deadline: `run` then resolves to `undefined` without running, and the caller falls back to a
 * non-blocking attempt. Once a task starts it is never abandoned: the connection comes back
 * only after its command has answered, so an item popped by Redis is always delivered.
 */
export class BlockingPool {
  readonly #line: PQueue;
  readonly #idle: RedisClient[] = [];
  readonly #open = new Set<RedisClient>();
  readonly #waiting = new Set<AbortController>();

  constructor(
    readonly size: number,
    private readonly connect: () => RedisClient,
  ) {
    this.#line = new PQueue({ concurrency: size });
  }

  async run<T>(deadline: number, task: (redis: RedisClient) => Promise<T>): Promise<T | undefined> {
    const controller = new AbortController();
    let started = false;
    // Aborting only removes a task that is still waiting; a started task is left to finish.
    const timer = setTimeout(() => started || controller.abort(), Math.max(0, deadline - Date.now()));
    this.#waiting.add(controller);
    try {
      return await this.#line.add(() => {
        started = true;
        this.#waiting.delete(controller);
        clearTimeout(timer);
        return this.#withConnection(task);
      }, { signal: controller.signal });
    } catch (err) {
      if (!started && controller.signal.aborted) return undefined;
      throw err;
    } finally {
      this.#waiting.delete(controller);
      clearTimeout(timer);
    }
  }

  async #withConnection<T>(task: (redis: RedisClient) => Promise<T>): Promise<T> {
    const redis = this.#idle.pop() ?? this.#opened(this.connect());
    try {
      const result = await task(redis);
      this.#idle.push(redis);
      return result;
    } catch (err) {
      // A failed connection may be half-way through a reply; a fresh one is opened next time.
      this.#open.delete(redis);
      redis.disconnect();
      throw err;
    }
  }

  #opened(redis: RedisClient): RedisClient {
    this.#open.add(redis);
    return redis;
  }

  stats(): BlockingPoolStats {
    return { open: this.#open.size, busy: this.#line.pending, waiting: this.#line.size };
  }

  /**
   * Ends every connection at once (QUIT would wait behind a BRPOP): pops still blocked fail with
   * "Connection is closed", pops still waiting in line give up as if their deadline had passed.
   */
  close(): void {
    for (const controller of this.#waiting) controller.abort();
    for (const redis of this.#open) redis.disconnect();
    this.#open.clear();
    this.#idle.length = 0;
  }
}
