import { createPlatform, type Platform } from '../services/platform/index.ts';
import { openMemoryPlatform } from './memory/platform.ts';
import type { PlatformBackends } from './platform-types.ts';
import { redisTargetOf } from './redis/connection.ts';
import { openRedisPlatform } from './redis/platform.ts';
import type { OpenContext } from './registry.ts';

export type { Platform };

/**
 * The registry's one call for the worker primitives (KV, queues, locks, counters, series): Redis
 * when REDIS_URL or REDIS_CLUSTER_NODES is set, process memory otherwise. Cleanup and health are registered on `ctx`.
 */
export function openPlatform(ctx: OpenContext): Platform {
  return createPlatform(openPlatformBackends(ctx), ctx.config);
}

export function openPlatformBackends(ctx: OpenContext): PlatformBackends {
  const target = redisTargetOf(ctx.config.platform);
  return target ? openRedisPlatform(ctx, target) : openMemoryPlatform(ctx);
}
