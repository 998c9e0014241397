import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { allOf, type AfterCommit } from '../services/after-commit.ts';
import type { Feed } from '../subscriptions/feed.ts';
import { createTextStorage, type TextStorage } from '../services/texts/index.ts';
import { openAuditLog, type AuditLog } from './audit.ts';
import type { BlobStore } from './blob-types.ts';
import { openBlobStore } from './blobs.ts';
import { openFeed } from './feed.ts';
import { openGraph } from './graph.ts';
import type { GraphStore } from './graph-types.ts';
import { openEvaluationCache } from './cache/index.ts';
import { openIdempotency, type IdempotencyStore } from './idempotency/index.ts';
import { openFailover, type Failover } from './journal/index.ts';
import { createMemoryEvaluationStore } from './memory/evaluation-store.ts';
import { openPlatform, type Platform } from './platform.ts';
import { openRateLimiter, type RateLimiter } from './rate-limit.ts';
import { cacheFillsFromPrimary, reportReplicas, withReadReplicas } from './read-replicas.ts';
import { connectPostgres, createPostgresEvaluationStore, migrate, openEmbedded, type SqlClient } from './postgres/index.ts';
import { openRunning } from './running.ts';
import { withTextRouting } from './text-routing-store.ts';
import type { RunningBackends } from './running-types.ts';
import type { BackendStatus, EvaluationStore } from './types.ts';

/**
 * Configuration in, capability implementations out. Everything the registry opens is closed by
 * `close()`, in the reverse order of opening.
 */
export interface Registry extends Platform {
  evaluations: EvaluationStore;
  /** Large output and error texts: BLOB_BACKEND (file, s3 or memory). */
  blobs: BlobStore;
  /** Size routing of output and error (inline, compressed, blob) and reading them back. */
  texts: TextStorage;
  /** The task/result graph: GRAPH_BACKEND, by default in the primary's database. */
  graph: GraphStore;
  /** Running evaluations and logs: the primary's database (or memory), mirrored to Redis with REDIS_URL. */
  running: RunningBackends;
  /** Live subscriptions: committed changes to subscribers, through Redis pub/sub with REDIS_URL. */
  feed: Feed;
  /**
   * What the services call after every committed change (after-commit.ts): the running mirror
   * first, so that the Redis state agrees before subscribers hear of the change, then the feed.
   */
  afterCommit: AfterCommit;
  /** Append-only record of every write (issue 7), in the primary store. */
  audit: AuditLog;
  /** Per-API-key token buckets: Redis with REDIS_URL, else memory; unlimited without keys. */
  rateLimiter: RateLimiter;
  /** The fallback journal in front of a PostgreSQL server: pending creates and the replayer. */
  failover: Failover;
  /** Idempotency keys of HTTP requests (use-idempotency.ts), in the primary's database. */
  idempotency: IdempotencyStore;
  /** The SQL client behind the primary store, when it is PostgreSQL or PGlite (tests count its statements). */
  sql: SqlClient | null;
  /** Health and metrics of every backend in use, for `storage` and `health`. */
  statuses(): Promise<BackendStatus[]>;
  close(): Promise<void>;
}

export interface RegistryOptions {
  /** Run migrations while opening. @default config.migrateOnStart */
  migrate?: boolean;
}

/**
 * What a capability's opener gets: the config, the primary SQL client if any, and hooks to register
 * its cleanup and its health check. Openers live next to their backends; this file only calls them.
 */
export interface OpenContext {
  config: Config;
  logger: Logger;
  sql: SqlClient | null;
  onClose(cleanup: () => Promise<void>): void;
  reportStatus(status: () => Promise<BackendStatus>): void;
}

export async function createRegistry(config: Config, logger: Logger, options: RegistryOptions = {}): Promise<Registry> {
  const cleanups: (() => Promise<void>)[] = [];
  const statusChecks: (() => Promise<BackendStatus>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((err: unknown) => logger.error({ err }, 'error while closing a backend'));
    }
  };
  try {
    const sql = await openSql(config, logger, cleanups);
    if (sql && (options.migrate ?? config.migrateOnStart)) {
      await migrate(sql, config.storage.kind === 'postgres' ? config.storage.schema : 'public', logger);
    }
    const ctx: OpenContext = {
      config,
      logger,
      sql,
      onClose: (cleanup) => cleanups.push(cleanup),
      reportStatus: (check) => statusChecks.push(check),
    };
    const blobs = openBlobStore(ctx);
    const { inlineThreshold, largeFileThreshold } = config.blobs;
    const texts = createTextStorage(blobs, { inlineThreshold, largeFileThreshold, previewSize: config.limits.previewSize });
    const primary = sql ? createPostgresEvaluationStore(sql) : createMemoryEvaluationStore();
    const failover = await openFailover(ctx, primary);
    const evaluations = openEvaluationCache(ctx, cacheFillsFromPrimary(ctx, withTextRouting(failover.store, texts)));
    ctx.reportStatus(() => evaluations.status());
    reportReplicas(ctx);
    const graph = await openGraph(ctx);
    const platform = openPlatform(ctx);
    const running = openRunning(ctx, evaluations);
    // Opened last, so closed first: subscriptions complete while the stores are still open.
    const feed = openFeed(ctx, evaluations);
    return {
      ...platform,
      evaluations,
      failover,
      idempotency: openIdempotency(ctx),
      blobs,
      texts,
      graph,
      running,
      feed,
      afterCommit: allOf(running.afterCommit, feed.publish),
      audit: openAuditLog(ctx),
      rateLimiter: openRateLimiter(ctx),
      sql,
      statuses: () => Promise.all(statusChecks.map((check) => check())),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

async function openSql(config: Config, logger: Logger, cleanups: (() => Promise<void>)[]): Promise<SqlClient | null> {
  const storage = config.storage;
  if (storage.kind === 'memory') return null;
  if (storage.kind === 'postgres') {
    const sql = withReadReplicas(connectPostgres({ url: storage.url, schema: storage.schema, poolMax: storage.poolMax }), config, logger);
    cleanups.push(() => sql.close());
    return sql;
  }
  const { sql, unlock } = await openEmbedded(storage.dataDir, logger);
  cleanups.push(unlock, () => sql.close());
  return sql;
}
