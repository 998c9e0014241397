import { isFinished } from '../domain/evaluation.ts';
import type { LogSlice } from '../domain/running.ts';
import type { AfterCommit } from '../services/after-commit.ts';
import { createMemoryLogStore } from './memory/log-store.ts';
import { createMemoryRunningStore } from './memory/running-store.ts';
import { createPostgresLogStore } from './postgres/log-store.ts';
import { createPostgresRunningStore } from './postgres/running-store.ts';
import { closeRedis, connectRedis, describeTarget, redisTargetOf, type RedisTarget } from './redis/connection.ts';
import { createRedisLogTail } from './redis/log-tail.ts';
import { runningKeys } from './redis/running-keys.ts';
import { createRedisRunningSet } from './redis/running-set.ts';
import type { OpenContext } from './registry.ts';
import { createRedisRunningMirror, NO_MIRROR } from './running-mirror.ts';
import type { RunningBackends, RunningMirror, RunningStore } from './running-types.ts';
import type { BackendStatus, EvaluationStore } from './types.ts';

/**
 * Running state and logs: in the primary's database (or memory), mirrored to Redis when REDIS_URL
 * is set. Cleanup and health are registered on `ctx`.
 */
export function openRunning(ctx: OpenContext, evaluations: EvaluationStore): RunningBackends {
  const { sql, config, logger } = ctx;
  const store = sql ? createPostgresRunningStore(sql) : createMemoryRunningStore(evaluations);
  const logs = sql ? createPostgresLogStore(sql) : createMemoryLogStore(evaluations);
  const target = redisTargetOf(config.platform);
  const mirror = target ? openRedisMirror(ctx, target, evaluations, store) : NO_MIRROR;

  // The mirror follows committed changes: status changes move the running set, a RUNNING
  // evaluation's lines extend its tail, and reports replace its record.
  const afterCommit: AfterCommit = async (change) => {
    if (change.kind === 'logs') return change.status === 'RUNNING' ? mirror.pushLines(change.evaluationId, change.lines) : undefined;
    if (change.kind === 'heartbeat') return mirror.putRecord(change.record);
    if (change.kind !== 'updated' || change.before.status === change.after.status) return;
    const { after } = change;
    if (after.status === 'RUNNING') return mirror.started(after);
    if (!isFinished(after.status)) return;
    // A row left behind (the database failed just now) is never shown: readers check the status.
    await store.remove(after.id).catch((err: unknown) => logger.warn({ err, evaluationId: after.id }, 'could not delete the running record of a finished evaluation'));
    await mirror.finished(after.id);
  };
  const readLogs: RunningBackends['readLogs'] = async (ids, query, hot) => {
    const result = new Map<string, LogSlice>();
    if (hot && mirror.enabled) {
      // One script call per tail (each tail is its own Cluster slot); sent together on one
      // connection, they cost one network round trip.
      const slices = await Promise.all(ids.map((id) => mirror.readTail(id, query)));
      ids.forEach((id, i) => slices[i] && result.set(id, slices[i]));
    }
    const rest = ids.filter((id) => !result.has(id));
    if (rest.length > 0) for (const [id, slice] of await logs.read(rest, query)) result.set(id, slice);
    return result;
  };
  return { store, logs, mirror, afterCommit, readLogs };
}

/**
 * The mirror's own connection, set to fail fast like the evaluation cache's: no offline queue and
 * no retries, so while Redis is away a mirror call fails at once and the request goes on with the
 * primary store instead of waiting for a reconnect. ioredis keeps reconnecting on its own, and
 * every 'ready' (the first connect and each reconnect) rebuilds the running set, since Redis may
 * have restarted empty or missed writes while it was away.
 */
function openRedisMirror(ctx: OpenContext, target: RedisTarget, evaluations: EvaluationStore, store: RunningStore): RunningMirror {
  const { config, logger } = ctx;
  // connectRedis logs the outage once (connection "strata-running") and the restore.
  const redis = connectRedis(target, logger, { connectionName: 'strata-running', offlineQueue: false, maxRetriesPerRequest: 0 });
  redis.connect().catch(() => {}); // without an offline queue, a lazy client would refuse the first call
  const keys = runningKeys(config.platform.keyPrefix);
  const mirror = createRedisRunningMirror({
    set: createRedisRunningSet(redis, keys),
    tail: createRedisLogTail(redis, keys, { maxLines: config.running.logTailLines, ttlSeconds: config.running.logTailTtlSeconds }),
    evaluations,
    store,
    logger,
  });
  redis.on('ready', () => void mirror.rebuild());
  ctx.onClose(async () => {
    await mirror.idle();
    await closeRedis(redis);
  });
  ctx.reportStatus(async (): Promise<BackendStatus> => {
    const base = { name: 'redis', kind: 'redis', role: 'running', required: false };
    try {
      const started = performance.now();
      const [running, complete] = await Promise.all([redis.scard(keys.set), redis.exists(keys.built)]);
      return { ...base, healthy: true, latencyMs: performance.now() - started, metrics: { running, complete: complete === 1 } };
    } catch (err) {
      return { ...base, healthy: false, latencyMs: null, metrics: {}, error: `Redis at ${describeTarget(target)}: ${(err as Error).message}` };
    }
  });
  return mirror;
}
