import { Cluster, Redis, type ChainableCommander, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { PlatformConfig } from '../../config.ts';
import type { Logger } from '../../logger.ts';

/**
 * Where Redis is: one server (REDIS_URL, which carries its own credentials and rediss://) or a
 * Redis Cluster (REDIS_CLUSTER_NODES, with REDIS_CLUSTER_USERNAME/PASSWORD/TLS for every node).
 */
export type RedisTarget =
  | { kind: 'server'; url: string }
  | { kind: 'cluster'; nodes: { host: string; port: number }[]; username?: string | null; password?: string | null; tls?: boolean };
type ClusterTarget = Extract<RedisTarget, { kind: 'cluster' }>;

/**
 * A client of either. Both have the same commands, scripts (defineCommand), MULTI and pipelines;
 * on a cluster a command, script or MULTI may only touch keys of one slot, and a pipeline only
 * keys of one node (see keys.ts, running-keys.ts and slots.ts for how the layout keeps to that).
 */
export type RedisClient = Redis | Cluster;

/** The configured Redis, or null when the worker primitives, cache and feed stay in process memory. */
export function redisTargetOf(platform: Pick<PlatformConfig, 'redisUrl' | 'redisCluster'>): RedisTarget | null {
  if (platform.redisCluster) return { kind: 'cluster', ...platform.redisCluster };
  return platform.redisUrl ? { kind: 'server', url: platform.redisUrl } : null;
}

/** For health messages: "host:port", or "cluster host:port,host:port" (never the password of a URL). */
export function describeTarget(target: RedisTarget): string {
  return target.kind === 'server' ? new URL(target.url).host : `cluster ${target.nodes.map((n) => `${n.host}:${n.port}`).join(',')}`;
}

export interface RedisConnectOptions {
  /** A name shown by CLIENT LIST, so an operator can tell command and pop connections apart. */
  connectionName: string;
  /**
   * Reconnect attempts a command waits through before it fails. Few, so that while Redis is down a
   * request fails within about a second instead of hanging; ioredis keeps reconnecting regardless.
   * null: wait for the reconnect however long it takes (a pub/sub subscriber).
   * @default 2
   */
  maxRetriesPerRequest?: number | null;
  /** Resend commands that were in flight when the connection dropped. @default true */
  autoResend?: boolean;
  /**
   * For a cache: commands fail at once while disconnected (no offline queue) and after this many
   * milliseconds when Redis is slow, so the caller reads the primary instead of waiting.
   */
  failFastMs?: number;
  /**
   * For a pub/sub subscriber: no ready check. The check is an INFO sent after connecting, and a
   * SUBSCRIBE that slips out before it puts the connection in subscriber mode, where INFO fails
   * and breaks the connection ("only subscriber commands may be used").
   */
  subscriber?: boolean;
  /** Commands fail at once while disconnected instead of waiting in the offline queue. @default true */
  offlineQueue?: boolean;
}

/**
 * A lazily connecting ioredis client: nothing is dialled until the first command, so a gateway
 * starts (and its memory-backed parts serve) while Redis is still coming up, and ioredis's own
 * retry strategy reconnects after a restart. Errors are logged once per outage, not per retry.
 * Every Redis connection of the gateway is made here, so every feature gets a Redis.Cluster when
 * REDIS_CLUSTER_NODES is set: each call is a client of its own (its own sockets to every node).
 */
export function connectRedis(target: RedisTarget, logger: Logger, options: RedisConnectOptions): RedisClient {
  const failFast = options.failFastMs !== undefined;
  const offlineQueue = !failFast && (options.offlineQueue ?? true);
  const redisOptions: RedisOptions = {
    lazyConnect: true,
    connectionName: options.connectionName,
    maxRetriesPerRequest: options.maxRetriesPerRequest === undefined ? 2 : options.maxRetriesPerRequest,
    autoResendUnfulfilledCommands: options.autoResend ?? true,
    ...(options.subscriber && { enableReadyCheck: false }),
    ...(!offlineQueue && { enableOfflineQueue: false }),
    ...(failFast && { commandTimeout: options.failFastMs, maxRetriesPerRequest: 0 }),
  };
  const redis =
    target.kind === 'server' ? new Redis(target.url, redisOptions) : new Cluster(target.nodes, clusterOptions(target, redisOptions, offlineQueue, redisOptions.maxRetriesPerRequest ?? null));
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) logger.warn({ err, connection: options.connectionName }, 'Redis connection error; reconnecting');
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.info({ connection: options.connectionName }, 'Redis connection restored');
    down = false;
  });
  return redis;
}

/**
 * The same behaviour on a cluster: the per-connection options, credentials and TLS go to every
 * node connection (ioredis copies them to the pub/sub connection too); the offline queue (see
 * below) and lazy connect are the cluster's own.
 */
function clusterOptions(target: ClusterTarget, node: RedisOptions, offlineQueue: boolean, maxRetries: number | null): ClusterOptions {
  // Node connections keep their offline queue: the cluster sends CLUSTER SLOTS on a node
  // connection before it is connected, and without the queue that fails at once and the cluster
  // never becomes ready. The retry limit and the command timeout still fail commands fast.
  const { enableReadyCheck: _notForClusters, enableOfflineQueue: _clusterLevelOnly, ...redisOptions } = node;
  const security: RedisOptions = {
    ...(target.username && { username: target.username }),
    ...(target.password && { password: target.password }),
    ...(target.tls && { tls: {} }),
  };
  return {
    lazyConnect: true,
    enableOfflineQueue: offlineQueue,
    redisOptions: { ...redisOptions, ...security },
    clusterRetryStrategy: failQueuedAfter(maxRetries),
    // With TLS, ioredis would resolve each seed node's name and connect to the address, and the
    // certificate (issued for the name) would not match it: keep the name (ioredis's advice for
    // TLS clusters such as ElastiCache). IP addresses resolve to themselves either way.
    ...(target.tls && { dnsLookup: (address: string, callback: (err: null, address: string) => void) => callback(null, address) }),
  };
}

/**
 * While a whole cluster is unreachable, ioredis's Cluster keeps queued commands until it is back,
 * however long that takes: maxRetriesPerRequest applies to node connections only. So a KV call or
 * a health probe would hang through an outage instead of failing as on one server. ioredis calls
 * the retry strategy with the cluster as `this`; past the limit it fails what is queued (its
 * flushQueue, the same call ioredis makes when it gives up) and goes on reconnecting with
 * ioredis's default delays.
 */
function failQueuedAfter(maxRetries: number | null) {
  return function (this: Cluster, times: number): number {
    const cluster = this as unknown as { flushQueue?(err: Error): void };
    if (maxRetries !== null && times > maxRetries) cluster.flushQueue?.(new Error(`Redis Cluster unreachable (${times} connection attempts failed); reconnecting`));
    return Math.min(100 + times * 2, 2000);
  };
}

/** The servers holding data: the one server, or every cluster master (for INFO and DBSIZE). */
export function dataNodes(redis: RedisClient): Redis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}

/** Closes politely when connected, and at once otherwise (quit would wait for a reconnect). */
export async function closeRedis(redis: RedisClient): Promise<void> {
  if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
  else redis.disconnect();
}

/** INFO memory's used_memory in bytes (summed over a cluster's masters), or null when a server does not say. */
export async function usedMemoryBytes(redis: RedisClient): Promise<number | null> {
  const infos = await Promise.all(dataNodes(redis).map((node) => node.info('memory')));
  const bytes = infos.map((info) => /^used_memory:(\d+)/m.exec(info)?.[1]);
  return bytes.length > 0 && bytes.every((b) => b !== undefined) ? bytes.reduce((sum, b) => sum + Number(b), 0) : null;
}

/** Keys in the database (summed over a cluster's masters). */
export async function keyCount(redis: RedisClient): Promise<number> {
  return (await Promise.all(dataNodes(redis).map((node) => node.dbsize()))).reduce((sum, n) => sum + n, 0);
}

/** Runs a MULTI and returns its replies, throwing the first command error (ioredis returns them). */
export async function execMulti(multi: ChainableCommander): Promise<unknown[]> {
  const replies = await multi.exec();
  if (!replies) throw new Error('MULTI was aborted');
  const failed = replies.find(([err]) => err);
  if (failed) throw failed[0];
  return replies.map(([, reply]) => reply);
}
