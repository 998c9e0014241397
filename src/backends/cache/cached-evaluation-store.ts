import type { EvaluationRecord } from '../../domain/evaluation.ts';
import type { Logger } from '../../logger.ts';
import { metrics } from '../../observability/metrics.ts';
import type { EvaluationStore } from '../types.ts';
import { isCacheable, serializeEvaluation, deserializeEvaluation } from './serialize.ts';
import type { EntityCache } from './types.ts';

export interface CacheOptions {
  /** Seconds a cached evaluation lives. @default 3600 (seed 004's CACHE_TTL) */
  ttlSeconds: number;
  /** How long a fill lease holds off other loaders of the same key. @default 2000 */
  leaseMs: number;
  /** Cache polls, `pollMs` apart, while another process fills a key, before reading the primary. @default 5 */
  polls: number;
  pollMs: number;
}

type Loaded = { value: EvaluationRecord | null; shareable: boolean };

/**
 * EvaluationStore with a read-through shared cache for `getMany`; everything else goes to the
 * primary, and every write invalidates the evaluation it changed before it returns.
 *
 * Why no read sees a value older than an acknowledged write (the fill-lease argument):
 * - a writer commits, then invalidates (drops value and lease), then acknowledges;
 * - a reader takes a lease BEFORE it reads the primary, and fills only if the lease survived;
 * - so a fill succeeds only if no invalidation happened between the lease and the fill, i.e. every
 *   write acknowledged before the fill committed before the read. A value in the cache is never
 *   older than a write acknowledged before it was read from the cache.
 * Single flight in the process: concurrent misses of one key join the leader's load, but take its
 * result only if the leader's fill succeeded (joiners arrive after the lease was taken, so the same
 * argument covers them); otherwise they load again. Other processes are held off by the lease and
 * poll the cache. So a stampede costs one primary load per key.
 * If the cache fails, reads go to the primary and nothing fails; see README for what an
 * undeliverable invalidation means.
 */
export function withEntityCache(inner: EvaluationStore, cache: EntityCache, options: CacheOptions, logger: Logger): EvaluationStore {
  const inflight = new Map<string, Promise<Loaded>>();
  const key = (id: string) => `eval:${id}`;

  async function loadMisses(ids: string[]): Promise<Map<string, EvaluationRecord>> {
    const result = new Map<string, EvaluationRecord>();
    const joined = ids.filter((id) => inflight.has(id));
    const fresh = ids.filter((id) => !inflight.has(id));
    const deferreds = new Map(fresh.map((id) => [id, deferred<Loaded>()]));
    for (const [id, d] of deferreds) inflight.set(id, d.promise);
    try {
      await leadLoads(fresh, deferreds, result);
    } catch (err) {
      for (const d of deferreds.values()) d.resolve({ value: null, shareable: false });
      throw err;
    } finally {
      for (const [id, d] of deferreds) if (inflight.get(id) === d.promise) inflight.delete(id);
    }
    const retry: string[] = [];
    for (const id of joined) {
      const loaded = await inflight.get(id)?.catch(() => null);
      if (loaded?.shareable) loaded.value && result.set(id, loaded.value);
      else retry.push(id);
    }
    for (const [id, e] of await inner.getMany(retry)) result.set(id, e);
    return result;
  }

  async function leadLoads(ids: string[], deferreds: Map<string, Deferred<Loaded>>, result: Map<string, EvaluationRecord>) {
    if (ids.length === 0) return;
    const tokens = await cache.lease(ids.map(key), options.leaseMs);
    const leased = ids.filter((_, i) => tokens[i]);
    const waiting = ids.filter((_, i) => !tokens[i]);
    const fromPrimary = await inner.getMany(leased);
    // Leave the single-flight map before filling: only joiners that arrived while the lease was
    // held may share the result (see above).
    for (const id of leased) inflight.delete(id);
    const fills = leased.flatMap((id, i) => {
      const e = fromPrimary.get(id);
      return e && isCacheable(e) ? [{ id, key: key(id), token: tokens[ids.indexOf(id)]!, value: serializeEvaluation(e), i }] : [];
    });
    const stored = await cache.fill(fills, options.ttlSeconds).catch(() => fills.map(() => false));
    const filled = new Set(fills.filter((_, i) => stored[i]).map((f) => f.id));
    for (const id of leased) {
      const value = fromPrimary.get(id) ?? null;
      if (value) result.set(id, value);
      // A "not found" is never shared: an insert does not invalidate, so it could be stale for a joiner.
      deferreds.get(id)!.resolve({ value, shareable: filled.has(id) });
    }
    await waitForOthers(waiting, deferreds, result);
  }

  /**
   * Keys another loader holds a lease on: poll the cache a few times, then read the primary. A
   * value read from the cache is fresh (a fill under a broken lease never lands), so joiners that
   * arrived before that read may share it; they are let go of before each read for that reason.
   */
  async function waitForOthers(ids: string[], deferreds: Map<string, Deferred<Loaded>>, result: Map<string, EvaluationRecord>) {
    let pending = ids;
    for (let i = 0; i < options.polls && pending.length > 0; i++) {
      await new Promise((r) => setTimeout(r, options.pollMs));
      for (const id of pending) if (inflight.get(id) === deferreds.get(id)!.promise) inflight.delete(id);
      const values = await cache.get(pending.map(key));
      pending.forEach((id, j) => {
        if (!values[j]) return;
        const value = deserializeEvaluation(values[j]!);
        result.set(id, value);
        deferreds.get(id)!.resolve({ value, shareable: true });
      });
      pending = pending.filter((id) => !result.has(id));
    }
    const fromPrimary = await inner.getMany(pending);
    for (const id of pending) {
      const value = fromPrimary.get(id) ?? null;
      if (value) result.set(id, value);
      deferreds.get(id)!.resolve({ value, shareable: false });
    }
  }

  async function invalidate(id: string): Promise<void> {
    inflight.delete(id);
    await cache.invalidate([key(id)]).catch((err: unknown) => {
      logger.error({ err, id }, 'cache invalidation failed; other gateway processes may serve this evaluation stale until CACHE_TTL');
    });
  }

  return {
    ...inner,
    async getMany(ids) {
      if (ids.length === 0) return new Map();
      let cached: (string | null)[];
      try {
        cached = await cache.get(ids.map(key));
      } catch (err) {
        logger.debug({ err }, 'cache unavailable; reading the primary');
        metrics.cacheLookups.inc({ result: 'error' }, ids.length);
        return inner.getMany(ids);
      }
      const result = new Map<string, EvaluationRecord>();
      ids.forEach((id, i) => cached[i] && result.set(id, deserializeEvaluation(cached[i]!)));
      const misses = ids.filter((id) => !result.has(id));
      metrics.cacheLookups.inc({ result: 'hit' }, result.size);
      metrics.cacheLookups.inc({ result: 'miss' }, misses.length);
      if (misses.length === 0) return result;
      const loaded = await loadMisses(misses).catch(async (err: unknown) => {
        logger.debug({ err }, 'cache failed during a fill; reading the primary');
        return inner.getMany(misses);
      });
      for (const [id, e] of loaded) result.set(id, e);
      return result;
    },
    async update(id, expectedStatus, patch, events) {
      const updated = await inner.update(id, expectedStatus, patch, events);
      if (updated) await invalidate(id);
      return updated;
    },
    async forget(ids) {
      if (ids.length === 0) return;
      for (const id of ids) inflight.delete(id);
      await cache.invalidate(ids.map(key)).catch((err: unknown) => {
        logger.error({ err, count: ids.length }, 'cache invalidation failed; gateways may serve removed evaluations until CACHE_TTL');
      });
    },
    status: () => inner.status(),
    close: () => inner.close(),
  };
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
