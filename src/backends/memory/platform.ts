import type { OpenContext } from '../registry.ts';
import type { PlatformBackends } from '../platform-types.ts';
import { createMemoryCounterStore } from './counter-store.ts';
import { createMemoryKvStore } from './kv-store.ts';
import { createMemoryLockStore } from './lock-store.ts';
import { createMemoryQueueStore } from './queue-store.ts';
import { createMemorySeriesStore } from './series-store.ts';

/**
 * The worker primitives in process memory, used when REDIS_URL is unset so the embedded default
 * needs no Redis. They behave like the Redis ones (same contract suites) but are private to one
 * process: locks do not exclude another gateway, queues are not shared with one.
 */
export function openMemoryPlatform(ctx: OpenContext): PlatformBackends {
  const backends = {
    kv: createMemoryKvStore(),
    queues: createMemoryQueueStore(),
    locks: createMemoryLockStore(),
    counters: createMemoryCounterStore(),
    series: createMemorySeriesStore(),
  };
  ctx.onClose(async () => Object.values(backends).forEach((b) => b.close()));
  ctx.reportStatus(async () => {
    const stats = await backends.kv.stats();
    return { name: 'memory', kind: 'memory', role: 'kv', healthy: true, latencyMs: 0, metrics: { keys: stats.totalKeys, expiringKeys: stats.expiringKeys } };
  });
  return { kind: 'memory', ...backends };
}
