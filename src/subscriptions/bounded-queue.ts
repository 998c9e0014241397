/** What a queue yields once, in place of its items, after it overflowed; then it ends. */
export const OVERFLOW = Symbol('overflow');
export type Overflow = typeof OVERFLOW;

/**
 * One subscriber's inbox: items wait here between being published and being pulled by the
 * subscriber's stream, which pulls only as fast as its connection takes them (yoga's SSE response
 * pulls on demand; graphql-ws waits for each send). A slow or stalled subscriber therefore fills
 * only its own inbox, and one item past `limit` empties it and ends it with OVERFLOW, so memory
 * stays bounded and the publisher never waits. (createPubSub's `repeaterBuffer` cannot do this:
 * it is a single buffer shared by every subscriber.)
 */
export class BoundedQueue<T> implements AsyncIterableIterator<T | Overflow> {
  private items: T[] = [];
  private waiting: ((result: IteratorResult<T | Overflow, undefined>) => void) | null = null;
  private state: 'open' | 'overflowed' | 'draining' | 'done' = 'open';

  /** `onEnd` runs once, when the queue stops taking items (overflow, close or return). */
  constructor(
    private readonly limit: number,
    private readonly onEnd: () => void,
  ) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.state !== 'open') return;
    if (this.waiting) return this.deliver({ value: item, done: false });
    if (this.items.length < this.limit) return void this.items.push(item);
    this.items = [];
    this.end('overflowed');
    if (this.waiting) this.deliver({ value: OVERFLOW, done: false });
  }

  /** Ends after the items already queued are pulled (a graceful stop: shutdown, evaluation gone). */
  close(): void {
    if (this.state !== 'open') return;
    this.end('draining');
    if (this.waiting && this.items.length === 0) this.deliver({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T | Overflow, undefined>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.state === 'overflowed') {
      this.state = 'done';
      return Promise.resolve({ value: OVERFLOW, done: false });
    }
    if (this.state !== 'open') return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** The consumer left (client disconnected, stream finished): drop everything now. */
  return(): Promise<IteratorResult<T | Overflow, undefined>> {
    this.items = [];
    this.end('done');
    this.state = 'done';
    if (this.waiting) this.deliver({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private end(state: 'overflowed' | 'draining' | 'done'): void {
    const wasOpen = this.state === 'open';
    this.state = state;
    if (wasOpen) this.onEnd();
  }

  private deliver(result: IteratorResult<T | Overflow, undefined>): void {
    const waiting = this.waiting!;
    this.waiting = null;
    if (result.value === OVERFLOW) this.state = 'done';
    waiting(result);
  }
}
