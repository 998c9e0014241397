import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { trackReadRouter } from '../observability/replica-metrics.ts';
import { onPrimary } from './postgres/read-session.ts';
import { createReadRoutingClient, readRouterOf, type RecentWriters } from './postgres/read-routing.ts';
import { openReplica } from './postgres/replica.ts';
import type { SqlClient } from './postgres/sql-client.ts';
import { createMemoryRecentWriters, createRedisRecentWriters } from './read-your-writes.ts';
import { closeRedis, connectRedis, redisTargetOf } from './redis/connection.ts';
import type { OpenContext } from './registry.ts';
import type { EvaluationStore } from './types.ts';

/**
 * DATABASE_READ_URL (issue 9): the primary's client wrapped in the read router, or the primary's
 * client itself when no replica is configured (nothing on the primary-only path changes then).
 */
export function withReadReplicas(primary: SqlClient, config: Config, logger: Logger): SqlClient {
  const replicaConfig = config.readReplicas;
  if (!replicaConfig || config.storage.kind !== 'postgres') return primary;
  const { schema, poolMax } = config.storage;
  const replicas = replicaConfig.urls.map((url, i) => openReplica(i, url, schema, poolMax, logger));
  logger.info({ replicas: replicas.map((r) => r.label), readYourWritesMs: replicaConfig.readYourWritesMs }, 'read-only statements of queries go to read replicas');
  const client = createReadRoutingClient(primary, replicas, openRecentWriters(config, logger));
  trackReadRouter(client.router);
  return client;
}

function openRecentWriters(config: Config, logger: Logger): RecentWriters | null {
  const windowMs = config.readReplicas!.readYourWritesMs;
  if (windowMs === 0) return null;
  const target = redisTargetOf(config.platform);
  if (!target) return createMemoryRecentWriters(windowMs);
  // Fails fast like the cache's connection: a slow Redis sends reads to the primary, never holds them.
  const redis = connectRedis(target, logger, { connectionName: 'strata-read-your-writes', failFastMs: config.cache.commandTimeoutMs });
  redis.connect().catch(() => {});
  const writers = createRedisRecentWriters(redis, config.platform.keyPrefix, windowMs, logger);
  return { ...writers, close: () => closeRedis(redis) };
}

/** Each replica's health and lag in `storage` and `health` (not required: without it reads go to the primary). */
export function reportReplicas(ctx: OpenContext): void {
  const router = readRouterOf(ctx.sql);
  router?.replicas.forEach((_, i) => ctx.reportStatus(() => router.status(i)));
}

/**
 * The evaluation cache's fill-lease argument (cached-evaluation-store.ts) holds only for values
 * read from the primary: a fill from a lagging replica would keep a stale evaluation cached until
 * CACHE_TTL. With both the cache and replicas, `getMany` (the cache's only read) therefore reads
 * the primary on a miss; hits never touch a database, and every other read may use a replica.
 */
export function cacheFillsFromPrimary(ctx: OpenContext, store: EvaluationStore): EvaluationStore {
  if (!readRouterOf(ctx.sql) || !ctx.config.cache.enabled || !redisTargetOf(ctx.config.platform)) return store;
  return { ...store, getMany: (ids) => onPrimary(() => store.getMany(ids)) };
}
