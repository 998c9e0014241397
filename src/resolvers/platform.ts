import type { StrataContext } from '../context.ts';
import type { KvEntry, KvRangeArgs, QueueInfo, SeriesArgs } from '../services/platform/index.ts';
import type { SeriesPointRecord, TaskStatsRecord } from '../backends/platform-types.ts';

/**
 * Thin functions between GraphQL arguments and the worker primitives. Validation lives in the
 * services (src/services/platform), so library callers get the same checks; values always go
 * through the JSON serializer here, whatever a library caller chose.
 */

export const kvGet = (ctx: StrataContext, key: string): Promise<KvEntry | null> => ctx.registry.kv.get(key);

export const kvRange = (ctx: StrataContext, args: KvRangeArgs): Promise<KvEntry[]> => ctx.registry.kv.range(args);

export const kvPut = (ctx: StrataContext, key: string, value: unknown, ttlSeconds: number | null | undefined): Promise<KvEntry> =>
  ctx.registry.kv.put(key, value, ttlSeconds);

export const kvDelete = (ctx: StrataContext, key: string): Promise<boolean> => ctx.registry.kv.delete(key);

export const queueInfo = (ctx: StrataContext, name: string): Promise<QueueInfo> => ctx.registry.queues.info(name);

export const queuePush = (ctx: StrataContext, name: string, item: unknown): Promise<number> => ctx.registry.queues.push(name, item);

export const queuePop = (ctx: StrataContext, name: string, timeoutMs: number | null | undefined): Promise<unknown> =>
  ctx.registry.queues.pop(name, timeoutMs);

export const lockAcquire = (ctx: StrataContext, key: string, ttlMs: number, waitMs: number | null | undefined): Promise<string | null> =>
  ctx.registry.locks.acquire(key, ttlMs, waitMs);

export const lockRelease = (ctx: StrataContext, key: string, token: string): Promise<boolean> => ctx.registry.locks.release(key, token);

export const taskStats = (ctx: StrataContext, taskId: string): Promise<TaskStatsRecord | null> => ctx.registry.counters.get(taskId);

export const recordExecution = (ctx: StrataContext, taskId: string, success: boolean, durationMs: number): Promise<TaskStatsRecord> =>
  ctx.registry.counters.record(taskId, success, durationMs);

export const seriesPoints = (ctx: StrataContext, name: string, args: SeriesArgs): Promise<SeriesPointRecord[]> => ctx.registry.series.range(name, args);

export const addSeriesPoint = (ctx: StrataContext, name: string, value: number, timestamp: Date | null | undefined): Promise<boolean> =>
  ctx.registry.series.add(name, value, timestamp);
