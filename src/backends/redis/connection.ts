import { Redis, type ChainableCommander, type RedisOptions } from 'ioredis';
import type { Logger } from '../../logger.ts';

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
}

/**
 * A lazily connecting ioredis client: nothing is dialled until the first command, so a gateway
 * starts (and its memory-backed parts serve) while Redis is still coming up, and ioredis's own
 * retry strategy reconnects after a restart. Errors are logged once per outage, not per retry.
 */
export function connectRedis(url: string, logger: Logger, options: RedisConnectOptions): Redis {
  const redisOptions: RedisOptions = {
    lazyConnect: true,
    connectionName: options.connectionName,
    maxRetriesPerRequest: options.maxRetriesPerRequest === undefined ? 2 : options.maxRetriesPerRequest,
    autoResendUnfulfilledCommands: options.autoResend ?? true,
    ...(options.subscriber && { enableReadyCheck: false }),
    ...(options.failFastMs !== undefined && { enableOfflineQueue: false, commandTimeout: options.failFastMs, maxRetriesPerRequest: 0 }),
  };
  const redis = new Redis(url, redisOptions);
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

/** Closes politely when connected, and at once otherwise (quit would wait for a reconnect). */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
  else redis.disconnect();
}

/** INFO memory's used_memory in bytes, or null when the server does not say. */
export async function usedMemoryBytes(redis: Redis): Promise<number | null> {
  const info = await redis.info('memory');
  const match = /^used_memory:(\d+)/m.exec(info);
  return match ? Number(match[1]) : null;
}

/** Runs a MULTI and returns its replies, throwing the first command error (ioredis returns them). */
export async function execMulti(multi: ChainableCommander): Promise<unknown[]> {
  const replies = await multi.exec();
  if (!replies) throw new Error('MULTI was aborted');
  const failed = replies.find(([err]) => err);
  if (failed) throw failed[0];
  return replies.map(([, reply]) => reply);
}
