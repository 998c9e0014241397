import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Cluster, type Redis } from 'ioredis';
import { parse, stringify } from 'superjson';
import type { Logger } from '../../logger.ts';
import type { FeedTransport } from '../../subscriptions/feed.ts';
import type { BackendStatus } from '../types.ts';
import { closeRedis, connectRedis, describeTarget, type RedisClient, type RedisTarget } from './connection.ts';
import { watchSubscriberMoves } from './subscriber-moves.ts';

/** How long a new subscription waits for Redis to confirm its SUBSCRIBE before it goes on without. */
const LISTEN_WAIT_MS = 2000;

/**
 * Subscription notices over Redis pub/sub, through @graphql-yoga/redis-event-target: one
 * connection publishes, one subscribes (a connection in subscriber mode can do nothing else).
 * Channels are `<KEY_PREFIX>feed:evaluation:<id>` and `<KEY_PREFIX>feed:running`; a channel is
 * subscribed while at least one subscriber of this process listens to it. Pub/sub has no slots,
 * so this works unchanged on Redis Cluster: PUBLISH, sent to any node, reaches every node over the
 * cluster bus, and ioredis's Cluster keeps its subscriptions on one connection to one node (it
 * picks another node and resubscribes if that one goes away, and subscriber-moves.ts tells the
 * feed, which catches subscribers up as after a reconnect). Sharded pub/sub (SSUBSCRIBE) would
 * spare the bus that fan-out but bind each channel to a slot; not needed at this scale.
 */
export function createRedisFeedTransport(target: RedisTarget, logger: Logger): FeedTransport & { close(): Promise<void>; status(): Promise<BackendStatus> } {
  // A publish that cannot be sent now is dropped, not queued: the database is the truth, and a
  // late notice is worth less than a mutation that does not wait for Redis.
  const publisher = connectRedis(target, logger, { connectionName: 'strata-feed-publish', failFastMs: 1000 });
  // Without an offline queue a lazy connection would drop the first publish: dial now.
  publisher.connect().catch(() => {}); // unreachable: logged by connectRedis, retried by ioredis
  // The subscriber waits through outages (no retry limit): ioredis resubscribes every channel when
  // it reconnects, and the feed's resync then catches subscribers up from the database.
  const subscriber = connectRedis(target, logger, { connectionName: 'strata-feed-subscribe', maxRetriesPerRequest: null, subscriber: true });
  const subscribing = new Set<Promise<unknown>>();
  const eventTarget = createRedisEventTarget<CustomEvent>({
    publishClient: guarded(publisher, logger),
    subscribeClient: guarded(subscriber, logger, subscribing),
    serializer: { stringify: (value) => stringify(value), parse: (text) => parse(text) },
  });
  // One server: PING is ordered after the SUBSCRIBE that addEventListener just queued on the same
  // connection, so its answer proves the channel is subscribed (also the SUBSCRIBEs ioredis resends
  // after a reconnect). A cluster sends PING to any node, not down the subscriber connection: there
  // the SUBSCRIBE replies themselves are awaited.
  const barrier = (): Promise<void> =>
    subscriber instanceof Cluster ? Promise.all([...subscribing]).then(() => undefined) : subscriber.ping().then(() => undefined);
  // A subscription whose SUBSCRIBE Redis did not confirm in time went on without it: the first
  // connect must catch it up. Later connects are reconnects, after which everyone catches up.
  let unconfirmed = false;
  let connectedBefore = false;
  const listening = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => ((unconfirmed = true), resolve()), LISTEN_WAIT_MS);
      barrier().then(resolve, resolve).finally(() => clearTimeout(timer));
    });
  const resyncs: (() => void)[] = [];
  const resyncAll = () => resyncs.forEach((callback) => callback());
  subscriber.on('ready', () => {
    const resync = connectedBefore || unconfirmed;
    connectedBefore = true;
    unconfirmed = false;
    // 'ready' fires before ioredis resends its SUBSCRIBEs: wait for them, then catch everyone up.
    if (resync) setImmediate(() => void barrier().then(resyncAll, () => {}));
  });
  // On a cluster the subscriptions can also move to another node while the cluster stays ready
  // (that node failed, or the connection was cut): catch everyone up then too.
  if (subscriber instanceof Cluster) {
    watchSubscriberMoves(subscriber, logger, () => {
      logger.info('subscriptions: the Redis Cluster pub/sub connection moved; subscribers catch up from the database');
      resyncAll();
    });
  }
  return {
    target: eventTarget,
    listening,
    onResync: (callback) => void resyncs.push(callback),
    async close() {
      await Promise.all([closeRedis(publisher), closeRedis(subscriber)]);
    },
    async status(): Promise<BackendStatus> {
      const base = { name: 'redis', kind: 'redis', role: 'subscriptions', required: false };
      try {
        const started = performance.now();
        await publisher.ping();
        return { ...base, healthy: true, latencyMs: performance.now() - started, metrics: { subscriber: subscriber.status } };
      } catch (err) {
        return { ...base, healthy: false, latencyMs: null, metrics: {}, error: `Redis at ${describeTarget(target)}: ${(err as Error).message}` };
      }
    },
  };
}

/**
 * The event target calls publish, subscribe and unsubscribe without awaiting them; a rejection
 * (Redis down, connection closed at shutdown) would be unhandled and end the process. These
 * wrappers absorb it: the feed's resync recovers what it costs.
 */
function guarded(redis: RedisClient, logger: Logger, subscribing = new Set<Promise<unknown>>()): Redis {
  const quiet = (what: string) => (err: unknown) => logger.debug({ err, what }, 'subscriptions: Redis command failed');
  const tracked = (reply: Promise<unknown>) => {
    subscribing.add(reply);
    void reply.finally(() => subscribing.delete(reply));
    return reply;
  };
  const client = {
    publish: (channel: string, message: string) => redis.publish(channel, message).catch(quiet('publish')),
    subscribe: (...channels: string[]) => tracked(redis.subscribe(...channels).catch(quiet('subscribe'))),
    unsubscribe: (...channels: string[]) => redis.unsubscribe(...channels).catch(quiet('unsubscribe')),
    on: (event: string, listener: (...args: unknown[]) => void) => redis.on(event, listener),
  };
  return client as unknown as Redis;
}
