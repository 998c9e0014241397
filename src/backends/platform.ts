import { createPlatform, type Platform } from '../services/platform/index.ts';
import { openMemoryPlatform } from './memory/platform.ts';
import type { PlatformBackends } from './platform-types.ts';
import { openRedisPlatform } from './redis/platform.ts';
import type { OpenContext } from './registry.ts';

export type { Platform };

/**
 * The registry's one call for the worker primitives (KV, queues, locks, counters, series): Redis
 * when REDIS_URL is set, process memory otherwise. Cleanup and health are registered on `ctx`.
 */
export function openPlatform(ctx: OpenContext): Platform {
  return createPlatform(openPlatformBackends(ctx), ctx.config);
}

export function openPlatformBackends(ctx: OpenContext): PlatformBackends {
  const url = ctx.config.platform.redisUrl;
  return url ? openRedisPlatform(ctx, url) : openMemoryPlatform(ctx);
}
