/**
 * Storage-level interfaces of the worker primitives (key-value store, queues, locks, task counters,
 * time series). Each has a memory and a Redis implementation; both are driven through the services
 * in src/services/platform, which validate input and (for KV) serialize values, so a backend only
 * ever sees checked keys, payload strings and whole-number durations.
 */

export interface KvRecord {
  key: string;
  /** The serialized value, exactly as the service wrote it. */
  payload: string;
  expiresAt: Date | null;
}

/**
 * A lexicographic key range over UTF-8 bytes (the order Redis uses): `start` inclusive, `end`
 * exclusive, and only keys beginning with `prefix`. Each bound is optional.
 */
export interface KeyRange {
  start?: string;
  end?: string;
  prefix?: string;
}

export interface KvStats {
  /** Live keys (expired keys not yet swept are not counted). */
  totalKeys: number;
  /** Live keys that have an expiry. */
  expiringKeys: number;
  /** Memory used by the server holding the keys, when it can tell (Redis INFO used_memory). */
  memoryBytes: number | null;
}

export interface KvBackend {
  /** `ttlMs` null: no expiry. Returns when the key will expire. */
  put(key: string, payload: string, ttlMs: number | null): Promise<{ expiresAt: Date | null }>;
  get(key: string): Promise<KvRecord | null>;
  /** True when a live key was removed. */
  delete(key: string): Promise<boolean>;
  /** Live keys in the range, in byte order, at most `limit`. */
  range(range: KeyRange, limit: number): Promise<KvRecord[]>;
  stats(): Promise<KvStats>;
}

export interface QueueBackend {
  /** Appends at the tail; returns the queue's length after the push. */
  push(name: string, payload: string): Promise<number>;
  /**
   * Takes the head item, waiting up to `timeoutMs` (0: do not wait) for one; null when none came.
   * Each item goes to exactly one caller, whatever the number of concurrent callers.
   */
  pop(name: string, timeoutMs: number): Promise<string | null>;
  length(name: string): Promise<number>;
}

export interface LockBackend {
  /** Sets the lock to `token` for `ttlMs` unless someone holds it; true when it was set. */
  tryAcquire(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Frees the lock only when `token` still holds it, atomically; true when it did. */
  release(key: string, token: string): Promise<boolean>;
}

export interface TaskStatsRecord {
  taskId: string;
  totalExecutions: number;
  successfulExecutions: number;
  failedExecutions: number;
  lastDurationMs: number | null;
  lastExecutionAt: Date | null;
}

export interface CounterBackend {
  /** Counts one execution and refreshes the record's expiry to `ttlSeconds`, atomically. */
  record(taskId: string, success: boolean, durationMs: number, at: Date, ttlSeconds: number): Promise<TaskStatsRecord>;
  get(taskId: string): Promise<TaskStatsRecord | null>;
}

export interface SeriesPointRecord {
  value: number;
  timestamp: Date;
}

export interface SeriesQuery {
  from?: Date;
  to?: Date;
  /** Only the newest `last` points within from..to. */
  last?: number;
}

export interface SeriesBackend {
  /** Adds the point, keeps the newest `maxPoints` (by timestamp), refreshes the expiry. */
  add(name: string, point: SeriesPointRecord, maxPoints: number, ttlSeconds: number): Promise<void>;
  /** Points with from <= timestamp <= to, oldest first. */
  range(name: string, query: SeriesQuery): Promise<SeriesPointRecord[]>;
}

/** One implementation of every primitive, as an opener returns them. */
export interface PlatformBackends {
  readonly kind: 'memory' | 'redis';
  kv: KvBackend;
  queues: QueueBackend;
  locks: LockBackend;
  counters: CounterBackend;
  series: SeriesBackend;
}
