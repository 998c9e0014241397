import { setMaxListeners } from 'node:events';
import { createFeed, type Feed, type FeedTransport } from '../subscriptions/feed.ts';
import { redisTargetOf } from './redis/connection.ts';
import { createRedisFeedTransport } from './redis/feed-transport.ts';
import type { OpenContext } from './registry.ts';
import type { EvaluationStore } from './types.ts';

/**
 * The subscription feed: through Redis pub/sub when REDIS_URL is set, so that a subscriber on one
 * gateway process sees changes made through any other; else in this process only (the embedded
 * default has one process). On close, open subscriptions complete before the connections go.
 */
export function openFeed(ctx: OpenContext, store: EvaluationStore): Feed {
  const { config, logger } = ctx;
  const target = redisTargetOf(config.platform);
  const redis = target ? createRedisFeedTransport(target, logger) : null;
  const transport = redis ?? localTransport();
  const feed = createFeed({ transport, store, buffer: config.subscriptions.buffer, prefix: config.platform.keyPrefix, logger });
  ctx.onClose(async () => {
    feed.endAll();
    await redis?.close();
  });
  ctx.reportStatus(async () => {
    const status = redis ? await redis.status() : { name: 'memory', kind: 'memory', role: 'subscriptions', healthy: true, latencyMs: null, metrics: {} };
    return { ...status, metrics: { ...status.metrics, openSubscriptions: feed.openCount() } };
  });
  return feed;
}

/** One process: an EventTarget delivers synchronously, so a listener is live the moment it is added. */
function localTransport(): FeedTransport {
  const target = new EventTarget();
  // Thousands of subscribers of one topic are expected; the leak warning's limit of 10 is not.
  setMaxListeners(0, target);
  return { target, listening: async () => {}, onResync: () => {} };
}
